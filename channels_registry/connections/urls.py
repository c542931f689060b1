"""Included in channels_registry's URLs (its namespace)."""

from django.urls import path

from channels_registry.connections import views

urlpatterns = [
    path(
        "register/konton/<int:pk>/insamling/",
        views.connection_list,
        name="connection_list",
    ),
    path(
        "register/konton/<int:pk>/insamling/koppla/",
        views.connection_create,
        name="connection_create",
    ),
    path(
        "register/konton/<int:pk>/insamling/<int:connection_pk>/koppla-bort/",
        views.connection_disconnect,
        name="connection_disconnect",
    ),
]
