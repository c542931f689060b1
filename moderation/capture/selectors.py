"""Reads of captured content: an account's timeline, an object's versions."""

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from moderation.capture.models import CapturedObject, CapturedVersion

TIMELINE_ORDER = ("-first_seen_at", "-pk")


def timeline(account_id: int) -> QuerySet[CapturedObject]:
    """An account's captured objects, newest first, each with its versions and
    their content in two more queries whatever the page's length. How many
    versions an object has is counted from those (``version_count``): an
    aggregate here would group every object of the account before the page's
    LIMIT (docs/performance.md, "Captured content at scale")."""
    versions = CapturedVersion.objects.select_related("content").order_by("number")
    return (
        CapturedObject.objects.filter(account_id=account_id)
        .select_related("parent", "connection", "purge")
        .prefetch_related(Prefetch("versions", queryset=versions), "evidence")
        .order_by(*TIMELINE_ORDER)
    )


class TimelinePaginator(Paginator):
    """Pages of a timeline whose rows are read by key: the page's primary keys
    come from the index on (account, first_seen_at, id) alone (OFFSET steps
    over index entries, not over joined rows), and the page's rows, with their
    joins, are read for those keys only. One query a page, as Django's
    paginator, whatever the page's depth; the count is the index's too."""

    object_list: QuerySet

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.order_by(*TIMELINE_ORDER).values("pk")[bottom:top]
        return Page(self.object_list.filter(pk__in=keys), number, self)


def with_latest(page: Page) -> list[CapturedObject]:
    """The page's objects with their newest version and version count, from
    the prefetched versions."""
    rows = list(page.object_list)
    for captured in rows:
        versions = list(captured.versions.all())
        captured.latest = versions[-1] if versions else None
        captured.version_count = len(versions)
    return rows


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
