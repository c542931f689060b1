from django.urls import include, path

from archive import disposal_views, snapshot_views, views

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
    path("diariet/begaran/", include("archive.requests.urls")),
    path("offentligt-diarium/", views.public_register, name="public_register"),
    path("diariet/gallring/", disposal_views.retention_index, name="retention_index"),
    path("diariet/gallring/beslut/ny/", disposal_views.decision_create, name="decision_create"),
    path(
        "diariet/gallring/beslut/<int:pk>/",
        disposal_views.disposal_preview,
        name="disposal_preview",
    ),
    path(
        "diariet/gallring/gallrat/<int:pk>/", disposal_views.disposal_detail, name="disposal_detail"
    ),
    path("diariet/gallring/stopp/ny/", disposal_views.hold_create, name="hold_create"),
    path("diariet/gallring/stopp/<int:pk>/hav/", disposal_views.hold_lift, name="hold_lift"),
    path("diariet/rensning/", disposal_views.purge_index, name="purge_index"),
    path("diariet/rensning/ny/", disposal_views.purge_propose, name="purge_propose"),
    path("diariet/rensning/<int:pk>/", disposal_views.purge_decide, name="purge_decide"),
    path("diariet/arkivexport/", disposal_views.export_package, name="export_package"),
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
