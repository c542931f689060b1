"""Captured objects are public records (TF 2 kap.): a citizen's comment or
message is received (inkommen), the account's own post drawn up (upprättad).
Registered with the record-kind registry so the archive registers, lists,
dates and disposes of them without knowing this model."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.capture.models import (
    CapturedContent,
    CapturedObject,
    CapturedQuestion,
    CapturedVersion,
    CaptureEvidence,
    CapturePurge,
)
from nora_social.core import records


def _latest_content(captured: CapturedObject) -> CapturedContent | None:
    version = (
        CapturedVersion.objects.filter(captured=captured, content__isnull=False)
        .select_related("content")
        .order_by("-number")
        .first()
    )
    return version.content if version else None


def entry(captured: CapturedObject) -> records.RecordEntry:
    """The subject names the kind and platform, never the person or the text
    (the public register shows no content and no party names)."""
    content = _latest_content(captured)
    return records.RecordEntry(
        direction="drawn_up" if captured.own else "received",
        document_date=timezone.localdate(captured.published_at or captured.first_seen_at),
        subject=str(
            _("%(kind)s på %(platform)s, hämtad %(when)s")
            % {
                "kind": captured.get_kind_display(),
                "platform": captured.connection.get_kind_display(),
                "when": timezone.localtime(captured.first_seen_at).strftime("%Y-%m-%d"),
            }
        ),
        party="" if captured.own else (content.author_name if content else ""),
        content_text=content.text if content else "",
    )


def period(account, start: datetime.date, end: datetime.date):
    rows = (
        CapturedObject.objects.filter(
            account=account, first_seen_at__date__gte=start, first_seen_at__date__lte=end
        )
        .order_by("first_seen_at", "pk")
        .only("kind", "own", "first_seen_at", "published_at", "platform_id")
    )
    for captured in rows.iterator(chunk_size=2000):
        yield records.PeriodLine(
            when=captured.published_at or captured.first_seen_at,
            kind=str(captured.get_kind_display()),
            official=captured.own,
            summary=str(_("Hämtad från plattformen (%(id)s)") % {"id": captured.platform_id}),
        )


def dependants(captured: CapturedObject) -> records.Dependants:
    versions = list(captured.versions.values_list("pk", flat=True))
    return [
        (
            CapturedContent,
            list(
                CapturedContent.objects.filter(version_id__in=versions).values_list("pk", flat=True)
            ),
        ),
        (CaptureEvidence, list(captured.evidence.values_list("pk", flat=True))),
        (
            CapturedQuestion,
            list(CapturedQuestion.objects.filter(captured=captured).values_list("pk", flat=True)),
        ),
        (
            CapturePurge,
            list(CapturePurge.objects.filter(captured=captured).values_list("pk", flat=True)),
        ),
        (CapturedVersion, versions),
    ]


records.register(
    records.RecordKind(
        label="moderation.CapturedObject",
        name=_("Hämtade inlägg, kommentarer och meddelanden"),
        date_field="first_seen_at",
        entry=entry,
        url=lambda c: reverse("moderation:captured_detail", args=[c.account_id, c.pk]),
        period=period,
        dependants=dependants,
    )
)
