from django.urls import path

from accounts import views
from accounts.directory import views as directory_views
from accounts.imports import views as import_views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("mina-sidor/", views.home, name="home"),
    path("mina-sidor/profil/", views.profile, name="profile"),
    path("mina-sidor/profil/kvittera-policy/", views.acknowledge_policy, name="acknowledge_policy"),
    path("policy/", views.policy, name="policy"),
    path("policy/version/<int:number>/", views.policy_version, name="policy_version"),
    path("policy/publicera/", views.policy_publish, name="policy_publish"),
    path("mina-sidor/profil/franvaro/", views.absence_add, name="absence_add"),
    path("mina-sidor/bekrafta/", views.step_up, name="step_up"),
    path("mina-sidor/engangskoder/", views.totp_enroll, name="totp_enroll"),
    path("mina-sidor/notiser/", views.notifications, name="notifications"),
    path("mina-sidor/notiser/<int:pk>/last/", views.notification_read, name="notification_read"),
    path("installningar/organisation/", import_views.org_import, name="org_import"),
    path("installningar/katalog/", directory_views.run_list, name="directory_runs"),
    path("installningar/katalog/<int:pk>/", directory_views.run_detail, name="directory_run"),
    path(
        "installningar/organisation/mall.xlsx",
        import_views.org_import_template,
        name="org_import_template",
    ),
]
