"""The archive's pages, gathered from its sub-packages under one namespace
(``archive:``), so every URL and URL name stays as it was."""

from archive.disposal.urls import urlpatterns as disposal_urls
from archive.export.urls import urlpatterns as export_urls
from archive.register.urls import urlpatterns as register_urls
from archive.snapshots.urls import urlpatterns as snapshot_urls

app_name = "archive"

urlpatterns = register_urls + disposal_urls + export_urls + snapshot_urls
