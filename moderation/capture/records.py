"""Captured objects are public records (TF 2 kap.): a citizen's comment or
message is received (inkommen), the account's own post drawn up (upprättad).
Registered with the record-kind registry so the archive registers, lists,
dates and disposes of them without knowing this model."""

import datetime

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.capture import archiving
from moderation.capture.models import (
    AuthorRequest,
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


def _published(captured: CapturedObject) -> str:
    """What the platform showed of a post or comment, as the newest version
    with content has it, and what became of it. A message is not published:
    the line keeps its content out."""
    if captured.kind == CapturedObject.Kind.MESSAGE:
        return str(_("Meddelande till kontot, hämtat från plattformen."))
    if hasattr(captured, "purge"):
        return str(_("Innehållet är rensat (1998:112 § 5)."))
    versions = list(captured.versions.all())
    with_text = [v for v in versions if v.state != CapturedVersion.State.GONE]
    content = getattr(with_text[-1], "content", None) if with_text else None
    parts = []
    if content is not None:
        text = " ".join(content.text.split())
        if len(text) > PERIOD_TEXT_LIMIT:
            text = text[: PERIOD_TEXT_LIMIT - 1] + "…"
        parts.append(f"»{text}«" if text else str(_("(utan text)")))
        if not captured.own and content.author_name:
            parts.append(str(_("av %(name)s") % {"name": content.author_name}))
    if len(versions) > 1 and any(v.edited_at for v in versions[1:]):
        parts.append(str(_("ändrad på plattformen")))
    if versions and versions[-1].state != CapturedVersion.State.VISIBLE:
        parts.append(f"({versions[-1].get_state_display()})")
    return " ".join(parts) or str(
        _("Hämtad från plattformen (%(id)s)") % {"id": captured.platform_id}
    )


# A long post is cut in the snapshot's log; the whole text stays in the capture.
PERIOD_TEXT_LIMIT = 1500


def period(account, start: datetime.date, end: datetime.date):
    """The captured posts, comments and messages of the period (by when the
    platform published them, or first saw them when it does not say), with
    what was published: the snapshot shows what the account actually showed."""
    in_period = Q(published_at__date__gte=start, published_at__date__lte=end) | Q(
        published_at__isnull=True, first_seen_at__date__gte=start, first_seen_at__date__lte=end
    )
    rows = (
        CapturedObject.objects.filter(in_period, account=account)
        .select_related("purge")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=CapturedVersion.objects.select_related("content").order_by("number"),
            )
        )
        .order_by("first_seen_at", "pk")
    )
    for captured in rows.iterator(chunk_size=500):
        yield records.PeriodLine(
            when=captured.published_at or captured.first_seen_at,
            kind=str(captured.get_kind_display()),
            official=captured.own,
            summary=_published(captured),
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
        (
            AuthorRequest,
            list(AuthorRequest.objects.filter(captured=captured).values_list("pk", flat=True)),
        ),
        (CapturedVersion, versions),
    ]


records.register(
    records.RecordKind(
        label=archiving.LABEL,
        name=_("Hämtade inlägg, kommentarer och meddelanden"),
        date_field="first_seen_at",
        entry=entry,
        url=lambda c: reverse("moderation:captured_detail", args=[c.account_id, c.pk]),
        period=period,
        dependants=dependants,
        removing=archiving.record_gap,
        package_files=archiving.package_files,
        integrity=archiving.integrity,
    )
)
