"""The public interface ``/begaran/`` (DESIGN.md "Public interfaces") and the
requester's tracking and download links."""

from django.urls import path

from archive.requests import public_views

urlpatterns = [
    path("begaran/", public_views.request_form, name="request_form"),
    path("begaran/folj/<str:token>/", public_views.track, name="request_track"),
    path(
        "begaran/folj/<str:token>/beslut/", public_views.ask_decision, name="request_ask_decision"
    ),
    path(
        "begaran/folj/<str:token>/beslut.pdf",
        public_views.decision_download,
        name="request_decision_download",
    ),
    path(
        "begaran/folj/<str:token>/utlamnande/<int:pk>.pdf",
        public_views.track_download,
        name="request_track_download",
    ),
    path("begaran/hamta/<str:token>/", public_views.link_download, name="request_link_download"),
]
