"""URLs of the snapshots pages; included by ``archive.urls`` under the ``archive:`` namespace."""

from django.urls import path

from archive.snapshots import views

urlpatterns = [
    path("ogonblicksbilder/", views.snapshot_list, name="snapshots"),
    path(
        "ogonblicksbilder/konto/<int:pk>/",
        views.account_snapshots,
        name="account_snapshots",
    ),
    path(
        "ogonblicksbilder/begaran/<int:pk>/",
        views.request_detail,
        name="snapshot_request",
    ),
    path(
        "ogonblicksbilder/skarmdump/<int:pk>/",
        views.screenshot_image,
        name="snapshot_screenshot",
    ),
    path("ogonblicksbilder/<int:pk>/pdf/", views.download, name="snapshot_download"),
]
