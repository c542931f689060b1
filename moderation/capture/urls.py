"""Included in moderation's URLs (its namespace); the webhook at the root."""

from django.urls import path

from moderation.capture import views

urlpatterns = [
    path("capture/webhooks/<slug:platform>/", views.webhook, name="capture_webhook"),
    path("moderering/konton/<int:pk>/tidslinje/", views.timeline, name="capture_timeline"),
    path(
        "moderering/konton/<int:pk>/tidslinje/<int:captured_pk>/",
        views.captured_detail,
        name="captured_detail",
    ),
    path(
        "moderering/konton/<int:pk>/tidslinje/<int:captured_pk>/atgard/",
        views.captured_action,
        name="captured_action",
    ),
    path(
        "moderering/konton/<int:pk>/tidslinje/<int:captured_pk>/fraga/",
        views.captured_mark_question,
        name="captured_mark_question",
    ),
]
