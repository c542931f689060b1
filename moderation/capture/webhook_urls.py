"""The platforms' webhook, included first in the project's URLs (nora_social/urls.py):
every delivery is resolved before the other apps' patterns are tried."""

from django.urls import path

from moderation.capture import views

app_name = "capture"

urlpatterns = [
    path("<slug:platform>/", views.webhook, name="webhook"),
]
