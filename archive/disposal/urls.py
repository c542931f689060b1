"""URLs of the disposal pages; included by ``archive.urls`` under the ``archive:`` namespace."""

from django.urls import path

from archive.disposal import views

urlpatterns = [
    path("diariet/gallring/", views.retention_index, name="retention_index"),
    path("diariet/gallring/beslut/ny/", views.decision_create, name="decision_create"),
    path(
        "diariet/gallring/beslut/<int:pk>/",
        views.disposal_preview,
        name="disposal_preview",
    ),
    path("diariet/gallring/gallrat/<int:pk>/", views.disposal_detail, name="disposal_detail"),
    path("diariet/gallring/stopp/ny/", views.hold_create, name="hold_create"),
    path("diariet/gallring/stopp/<int:pk>/hav/", views.hold_lift, name="hold_lift"),
    path("diariet/rensning/", views.purge_index, name="purge_index"),
    path("diariet/rensning/ny/", views.purge_propose, name="purge_propose"),
    path("diariet/rensning/<int:pk>/", views.purge_decide, name="purge_decide"),
]
