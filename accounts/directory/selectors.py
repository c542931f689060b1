"""Reads for the directory's run log."""

from django.conf import settings
from django.db.models import QuerySet

from accounts.directory.models import DirectoryRun

RUNS_SHOWN = 30


def recent_runs() -> QuerySet[DirectoryRun]:
    return DirectoryRun.objects.defer("changes").order_by("-started_at", "-pk")[:RUNS_SHOWN]


def last_successful_run() -> DirectoryRun | None:
    return (
        DirectoryRun.objects.defer("changes")
        .filter(status=DirectoryRun.Status.OK)
        .order_by("-started_at", "-pk")
        .first()
    )


def directory_settings() -> dict:
    """What the page says about the configuration (never a secret)."""
    return {
        "source": settings.DIRECTORY_SOURCE,
        "minutes": settings.DIRECTORY_SYNC_MINUTES,
        "provider": settings.DIRECTORY_IDENTITY_PROVIDER,
    }
