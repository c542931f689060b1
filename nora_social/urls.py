from django.contrib import admin
from django.urls import include, path

from nora_social import views

urlpatterns = [
    # First: the platforms post here many times a second (issue 17).
    path("capture/webhooks/", include("moderation.capture.webhook_urls")),
    path("", views.index, name="index"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("tillganglighet/rapportera/", views.accessibility_report, name="accessibility_report"),
    path(
        "tillganglighet/rapportera/tack/",
        views.accessibility_report_sent,
        name="accessibility_report_sent",
    ),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("personuppgifter/behandlingar/", views.processing_record, name="processing_record"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("accounts.urls")),
    path("", include("accounts.sso.urls")),
    path("", include("channels_registry.urls")),
    path("", include("activity_plans.urls")),
    path("", include("moderation.urls")),
    path("", include("archive.urls")),
    path("", include("nora_social.reports.urls")),
    path("", include("archive.requests.public_urls")),
    path("admin/", admin.site.urls),
]
