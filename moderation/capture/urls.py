"""Included in moderation's URLs (its namespace). The webhook has its own
(webhook_urls.py), first in the project's URLs."""

from django.urls import path

from moderation.capture import views

urlpatterns = [
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
