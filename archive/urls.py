from django.urls import path

from archive import snapshot_views, views

app_name = "archive"

urlpatterns = [
    path("diariet/", views.search, name="search"),
    path("diariet/export.csv", views.search_export, name="search_export"),
    path("diariet/registrera/", views.register, name="register"),
    path("diariet/att-diariefora/", views.pending, name="pending"),
    path("diariet/handling/<int:pk>/", views.document_detail, name="document_detail"),
    path("diariet/konto/<int:pk>/", views.account_documents, name="account_documents"),
    path("diariet/sociala-medier/", views.media_register, name="media_register"),
    path("diariet/sociala-medier.csv", views.media_register_csv, name="media_register_csv"),
    path("offentligt-diarium/", views.public_register, name="public_register"),
    path("ogonblicksbilder/", snapshot_views.snapshot_list, name="snapshots"),
    path(
        "ogonblicksbilder/konto/<int:pk>/",
        snapshot_views.account_snapshots,
        name="account_snapshots",
    ),
    path(
        "ogonblicksbilder/begaran/<int:pk>/",
        snapshot_views.request_detail,
        name="snapshot_request",
    ),
    path(
        "ogonblicksbilder/skarmdump/<int:pk>/",
        snapshot_views.screenshot_image,
        name="snapshot_screenshot",
    ),
    path("ogonblicksbilder/<int:pk>/pdf/", snapshot_views.download, name="snapshot_download"),
]
