"""Reads of captured content: an account's timeline, an object's versions."""

from django.db.models import Count, Prefetch, QuerySet

from moderation.capture.models import CapturedObject, CapturedVersion


def timeline(account_id: int) -> QuerySet[CapturedObject]:
    """An account's captured objects, newest first, each with its versions and
    their content in two more queries whatever the page's length."""
    versions = CapturedVersion.objects.select_related("content").order_by("number")
    return (
        CapturedObject.objects.filter(account_id=account_id)
        .select_related("parent", "connection", "purge")
        .prefetch_related(Prefetch("versions", queryset=versions), "evidence")
        .annotate(version_count=Count("versions"))
        .order_by("-first_seen_at", "-pk")
    )


def captured_for_account(account_id: int, pk: int) -> CapturedObject | None:
    return (
        CapturedObject.objects.filter(account_id=account_id, pk=pk)
        .select_related("parent", "account")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=CapturedVersion.objects.select_related("content").order_by("number"),
            ),
            "evidence",
        )
        .first()
    )


def latest(captured: CapturedObject) -> CapturedVersion | None:
    versions = list(captured.versions.all())
    return versions[-1] if versions else None
