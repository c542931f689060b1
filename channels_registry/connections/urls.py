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
    path(
        "register/konton/<int:pk>/insamling/oauth/<slug:provider>/",
        views.connection_oauth_start,
        name="connection_oauth_start",
    ),
    path(
        "register/konton/<int:pk>/insamling/oauth/<slug:provider>/valj/",
        views.connection_oauth_choose,
        name="connection_oauth_choose",
    ),
    path(
        "register/insamling/<slug:provider>/tillbaka/",
        views.connection_oauth_callback,
        name="connection_oauth_callback",
    ),
]
