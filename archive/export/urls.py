"""URLs of the export pages; included by ``archive.urls`` under the ``archive:`` namespace."""

from django.urls import path

from archive.export import views

urlpatterns = [
    path("diariet/arkivexport/", views.export_package, name="export_package"),
]
