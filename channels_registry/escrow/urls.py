"""Deposited access (§3, §8) and requests for it (§5)."""

from django.urls import path

from channels_registry.escrow import views

urlpatterns = [
    path("register/konton/<int:pk>/atkomst/", views.escrow_overview, name="escrow_overview"),
    path("register/konton/<int:pk>/atkomst/deponera/", views.escrow_deposit, name="escrow_deposit"),
    path("register/konton/<int:pk>/atkomst/visa/", views.escrow_reveal, name="escrow_reveal"),
    path(
        "register/konton/<int:pk>/atkomst/begar/",
        views.access_request_create,
        name="access_request_create",
    ),
    path("register/atkomstbegaran/", views.access_requests, name="access_requests"),
    path(
        "register/atkomstbegaran/<int:request_pk>/",
        views.access_request_decide,
        name="access_request_decide",
    ),
]
