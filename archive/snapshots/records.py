"""How snapshots are dated and disposed of (the record-kind registry,
``nora_social.core.records``). Registered in ``ArchiveConfig.ready``.

A snapshot counts from when it was made. It goes with its request and the
uploaded screenshots (rows, history, files): they are its material. What keeps
an account lawful (§2–§3, §10) is never due while the account is not closed:
its newest snapshot (the compliance rule and the next yearly snapshot read it)
and its final snapshot. "No longer current" means a newer snapshot replaced it.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy

from archive.models import Snapshot, SnapshotRequest, SnapshotScreenshot
from channels_registry.models import SocialAccount
from nora_social.core import records
from nora_social.core.records import Dependants, RecordKind

CLOSED = SocialAccount.Status.CLOSED


def _with_newer(qs: QuerySet[Snapshot]) -> QuerySet[Snapshot]:
    newer = Snapshot.objects.filter(account=OuterRef("account")).filter(
        Q(made_at__gt=OuterRef("made_at")) | Q(made_at=OuterRef("made_at"), pk__gt=OuterRef("pk"))
    )
    return qs.annotate(has_newer=Exists(newer))


def kept_while_open(qs: QuerySet[Snapshot]) -> QuerySet[Snapshot]:
    """The newest and the final snapshot of an account that is not closed."""
    return (
        _with_newer(qs).filter(Q(has_newer=False) | Q(final=True)).exclude(account__status=CLOSED)
    )


def current(qs: QuerySet[Snapshot]) -> QuerySet[Snapshot]:
    """Not replaced by a newer one; a final snapshot stays current until the
    account is closed."""
    return _with_newer(qs).filter(Q(has_newer=False) | (Q(final=True) & ~Q(account__status=CLOSED)))


def _screenshots(snapshot: Snapshot) -> QuerySet[SnapshotScreenshot]:
    return SnapshotScreenshot.objects.filter(request_id=snapshot.request_id)


def owned(snapshot: Snapshot) -> Dependants:
    """After the snapshot: the uploaded screenshots, then the request."""
    return [
        (SnapshotScreenshot, list(_screenshots(snapshot).values_list("pk", flat=True))),
        (SnapshotRequest, [snapshot.request_id]),
    ]


def register_kinds() -> None:
    records.register(
        RecordKind(
            label="archive.Snapshot",
            name=gettext_lazy("Ögonblicksbilder av konton"),
            date_field="made_at",
            current=current,
            in_handling=kept_while_open,
            owned=owned,
            files=lambda snapshot: [shot.image for shot in _screenshots(snapshot) if shot.image],
        )
    )
