from django.urls import path

from activity_plans import views

app_name = "activity_plans"

urlpatterns = [
    path("aktivitetsplaner/", views.plan_list, name="plan_list"),
    path("aktivitetsplaner/ny/", views.plan_create, name="plan_create"),
    path("aktivitetsplaner/att-godkanna/", views.queue, name="queue"),
    path("aktivitetsplaner/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("aktivitetsplaner/<int:pk>/andra/", views.plan_edit, name="plan_edit"),
    path("aktivitetsplaner/<int:pk>/radera/", views.plan_delete, name="plan_delete"),
    path("aktivitetsplaner/<int:pk>/beslut/", views.plan_decide, name="plan_decide"),
    path("aktivitetsplaner/<int:pk>/aterkalla/", views.plan_withdraw, name="plan_withdraw"),
    path(
        "aktivitetsplaner/<int:pk>/version/<int:number>/",
        views.plan_revision,
        name="plan_revision",
    ),
    path("aktivitetsplaner/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path(
        "aktivitetsplaner/konto/<int:account_pk>/andra-plan/",
        views.plan_for_account,
        name="plan_for_account",
    ),
]
