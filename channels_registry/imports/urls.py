from django.urls import path

from channels_registry.imports import views

urlpatterns = [
    path("register/konton/inlasning/", views.account_import, name="account_import"),
    path(
        "register/konton/inlasning/<int:pk>/",
        views.account_import_run,
        name="account_import_run",
    ),
    path(
        "register/konton/inlasning/mall/",
        views.account_import_template,
        name="account_import_template",
    ),
]
