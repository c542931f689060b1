from django.urls import include, path

from channels_registry import lifecycle_views, people_views, views

app_name = "channels_registry"

urlpatterns = [
    # Public (§10): the list of accounts, embedded on nora.se.
    path("", include("channels_registry.public.urls")),
    # The register, for staff.
    path("register/konton/", views.account_list, name="account_list"),
    path("register/konton/nytt/", views.account_create, name="account_create"),
    path("register/konton/namnkontroll/", views.name_check, name="name_check"),
    path("register/konton/<int:pk>/", views.account_detail, name="account_detail"),
    path("register/konton/<int:pk>/andra/", views.account_edit, name="account_edit"),
    path("register/konton/<int:pk>/adress/", views.account_address, name="account_address"),
    path("register/konton/<int:pk>/personer/", people_views.account_people, name="account_people"),
    path(
        "register/konton/<int:pk>/personer/<int:member_pk>/",
        people_views.member_change,
        name="member_change",
    ),
    path("register/konton/<int:pk>/checklista/", views.account_checklist, name="account_checklist"),
    path(
        "register/konton/<int:pk>/namnundantag/",
        views.account_naming_override,
        name="account_naming_override",
    ),
    path(
        "register/konton/<int:pk>/aktivera/",
        lifecycle_views.account_activate,
        name="account_activate",
    ),
    path(
        "register/konton/<int:pk>/avveckla/",
        lifecycle_views.account_start_closing,
        name="account_start_closing",
    ),
    path("register/konton/<int:pk>/stang/", lifecycle_views.account_close, name="account_close"),
    path("register/konton/<int:pk>/stangt/", lifecycle_views.account_closed, name="account_closed"),
    path(
        "register/konton/<int:pk>/historik/",
        lifecycle_views.account_history,
        name="account_history",
    ),
    path(
        "register/personer/<int:user_pk>/kunskap/",
        people_views.person_competence,
        name="person_competence",
    ),
    path("register/plattformar/", views.platform_list, name="platform_list"),
    path("register/plattformar/ny/", views.platform_create, name="platform_create"),
    path("register/plattformar/<int:pk>/", views.platform_edit, name="platform_edit"),
    path("", include("channels_registry.escrow.urls")),
    path("", include("channels_registry.compliance.urls")),
    path("", include("channels_registry.connections.urls")),
    path("", include("channels_registry.imports.urls")),
]
