"""The public list (§10), embedded on nora.se; no login."""

from django.urls import path

from channels_registry.public import views

urlpatterns = [
    path("konton/", views.public_list, name="public_list"),
    path("konton.json", views.public_list_json, name="public_list_json"),
    path("konton/embed/", views.public_embed, name="public_embed"),
]
