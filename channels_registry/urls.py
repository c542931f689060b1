from django.urls import path

from channels_registry import dashboard_views, escrow_views, public_views, views
from channels_registry.connections import urls as connection_urls

app_name = "channels_registry"

urlpatterns = [
    # Public (§10): the list of accounts, embedded on nora.se.
    path("konton/", public_views.public_list, name="public_list"),
    path("konton.json", public_views.public_list_json, name="public_list_json"),
    path("konton/embed/", public_views.public_embed, name="public_embed"),
    # The register, for staff.
    path("register/konton/", views.account_list, name="account_list"),
    path("register/konton/nytt/", views.account_create, name="account_create"),
    path("register/konton/namnkontroll/", views.name_check, name="name_check"),
    path("register/konton/<int:pk>/", views.account_detail, name="account_detail"),
    path("register/konton/<int:pk>/andra/", views.account_edit, name="account_edit"),
    path("register/konton/<int:pk>/adress/", views.account_address, name="account_address"),
    path("register/konton/<int:pk>/personer/", views.account_people, name="account_people"),
    path(
        "register/konton/<int:pk>/personer/<int:member_pk>/",
        views.member_change,
        name="member_change",
    ),
    path("register/konton/<int:pk>/checklista/", views.account_checklist, name="account_checklist"),
    path(
        "register/konton/<int:pk>/namnundantag/",
        views.account_naming_override,
        name="account_naming_override",
    ),
    path("register/konton/<int:pk>/aktivera/", views.account_activate, name="account_activate"),
    path(
        "register/konton/<int:pk>/avveckla/",
        views.account_start_closing,
        name="account_start_closing",
    ),
    path("register/konton/<int:pk>/stang/", views.account_close, name="account_close"),
    path("register/konton/<int:pk>/stangt/", views.account_closed, name="account_closed"),
    path("register/konton/<int:pk>/historik/", views.account_history, name="account_history"),
    path(
        "register/personer/<int:user_pk>/kunskap/",
        views.person_competence,
        name="person_competence",
    ),
    path("register/plattformar/", views.platform_list, name="platform_list"),
    path("register/plattformar/ny/", views.platform_create, name="platform_create"),
    path("register/plattformar/<int:pk>/", views.platform_edit, name="platform_edit"),
    # Escrow (§3, §8).
    path("register/konton/<int:pk>/atkomst/", escrow_views.escrow_overview, name="escrow_overview"),
    path(
        "register/konton/<int:pk>/atkomst/deponera/",
        escrow_views.escrow_deposit,
        name="escrow_deposit",
    ),
    path(
        "register/konton/<int:pk>/atkomst/visa/", escrow_views.escrow_reveal, name="escrow_reveal"
    ),
    path(
        "register/konton/<int:pk>/atkomst/begar/",
        escrow_views.access_request_create,
        name="access_request_create",
    ),
    path("register/atkomstbegaran/", escrow_views.access_requests, name="access_requests"),
    # Compliance (the sweep's findings) and the health page with the dead man's switch.
    path("register/efterlevnad/", dashboard_views.findings_dashboard, name="findings_dashboard"),
    path("register/efterlevnad/brister/", dashboard_views.findings_list, name="findings"),
    path("halsa/", dashboard_views.health, name="health"),
    path("halsa/status.txt", dashboard_views.health_text, name="health_text"),
    path(
        "register/atkomstbegaran/<int:request_pk>/",
        escrow_views.access_request_decide,
        name="access_request_decide",
    ),
]
urlpatterns += connection_urls.urlpatterns
