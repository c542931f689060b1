"""The request as a record kind of the register (nora_social.core.records):
dated by its receipt, in handling while it is open, disposed of with the rows
and files that exist only for it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from nora_social.core import records


def _entry(request) -> records.RecordEntry:
    return records.RecordEntry(
        direction="received",
        document_date=request.received_at.date(),
        subject=str(_("Begäran om att ta del av allmän handling")),
        party=request.requester_name,
        handling_officer=request.assigned_to,
        content_text=request.description,
    )


def _in_handling(qs):
    from archive.requests.models import RecordsRequest

    return qs.exclude(status=RecordsRequest.Status.CLOSED)


def _dependants(request):
    from archive.requests.models import (
        Appeal,
        Decision,
        HandOut,
        Mask,
        Pause,
        RequestedDocument,
    )

    items = list(request.documents.values_list("pk", flat=True))
    return [
        (Mask, list(Mask.objects.filter(item_id__in=items).values_list("pk", flat=True))),
        (Pause, list(request.pauses.values_list("pk", flat=True))),
        (HandOut, list(request.handouts.values_list("pk", flat=True))),
        (Appeal, list(request.appeals.values_list("pk", flat=True))),
        (Decision, list(Decision.objects.filter(request=request).values_list("pk", flat=True))),
        (RequestedDocument, items),
    ]


def _files(request):
    from archive.requests.models import Decision

    files = [handout.pdf for handout in request.handouts.exclude(pdf="")]
    files += [decision.pdf for decision in Decision.objects.filter(request=request)]
    return files


def register_kind() -> None:
    records.register(
        records.RecordKind(
            label="archive.RecordsRequest",
            name=_("Begäranden om allmän handling"),
            date_field="received_at",
            entry=_entry,
            url=lambda request: reverse("archive:request_detail", args=[request.pk]),
            in_handling=_in_handling,
            dependants=_dependants,
            files=_files,
            account_field="",
        )
    )


def register_decision_kind() -> None:
    """A decision is a drawn-up document in the register; its stored PDF is what
    a later request for it gets (masked, like any PDF record)."""
    records.register(
        records.RecordKind(
            label="archive.Decision",
            name=_("Beslut om allmän handling"),
            date_field="made_at",
            files=lambda decision: [decision.pdf],
            account_field="",
            disposable=False,
        )
    )
