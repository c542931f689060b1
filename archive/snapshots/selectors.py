"""Reads about snapshots: who is asked, what is pending or due, what the
account's closing needs and the start page's to-do items.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from archive.integrity import file_sha256
from archive.models import (
    Snapshot,
    SnapshotRequest,
)
from channels_registry.models import AccountMember, SocialAccount

# A screenshot older than this when it is uploaded is not "fresh" (§10).
FRESH_DAYS = 30
# The beat asks for the yearly snapshot this long after the last one, so it is
# made before the compliance rule's 12 months run out.
YEARLY_AFTER_MONTHS = 11
RULE_MONTHS = 12
PENDING = (SnapshotRequest.Status.OPEN, SnapshotRequest.Status.QUEUED)


def account_people(account: SocialAccount) -> list[User]:
    members = AccountMember.objects.current().filter(account=account)
    return [m.user for m in members.select_related("user")]


def pending_request(account: SocialAccount) -> SnapshotRequest | None:
    return SnapshotRequest.objects.filter(account=account, status__in=PENDING).first()


def verify_snapshot(snapshot: Snapshot) -> bool:
    """The stored file still has the hash recorded when it was made."""
    return file_sha256(snapshot.pdf) == snapshot.sha256


# --- Yearly run and closing ---------------------------------------------------


def accounts_due_yearly(today: datetime.date):
    """Active accounts whose last snapshot (or activation) is older than 11
    months and that have no request waiting."""
    cutoff = today - relativedelta(months=YEARLY_AFTER_MONTHS)
    return (
        SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE)
        .annotate(last_made=Max("snapshots__made_at__date"))
        .exclude(snapshot_requests__status__in=PENDING)
        .filter(activated_on__lte=cutoff)
        .filter(Q(last_made__isnull=True) | Q(last_made__lte=cutoff))
        .order_by("pk")
    )


def has_final_snapshot(account: SocialAccount) -> bool:
    snapshots = Snapshot.objects.filter(account=account)
    if snapshots.filter(final=True).exists():
        return True
    return (
        bool(account.closing_on)
        and snapshots.filter(made_at__date__gte=account.closing_on).exists()
    )


def final_snapshot_missing(account: SocialAccount) -> list[str]:
    """CLOSE_PRECONDITIONS hook (§10): no account closes without its final snapshot."""
    if has_final_snapshot(account):
        return []
    return [
        _(
            "Den slutliga ögonblicksbilden saknas (§10). Begär den på kontots sida för "
            "ögonblicksbilder, ladda upp skärmdumpar och skapa den innan kontot stängs."
        )
    ]


def closure_receipt_lines(account: SocialAccount) -> list[str]:
    """CLOSURE_RECEIPT hook: the final snapshot and the account's register
    documents, for the receipt shown to whoever closed the account."""
    from archive.models import Document

    lines = []
    snapshots = Snapshot.objects.filter(account=account).filter(
        Q(final=True) | Q(made_at__date__gte=account.closing_on or datetime.date.max)
    )
    documents = {
        d.record_id: d
        for d in Document.objects.filter(
            record_type__app_label="archive",
            record_type__model="snapshot",
            record_id__in=[s.pk for s in snapshots],
        ).select_related("case")
    }
    for snapshot in snapshots:
        document = documents.get(snapshot.pk)
        values = {
            "date": timezone.localtime(snapshot.made_at).strftime("%Y-%m-%d"),
            "start": snapshot.period_start.isoformat(),
            "end": snapshot.period_end.isoformat(),
            "sha": snapshot.sha256,
        }
        if document is not None:
            values["reference"] = document.reference
            lines.append(
                _(
                    "Slutlig ögonblicksbild (PDF/A) skapad %(date)s för perioden %(start)s–"
                    "%(end)s, diarieförd som %(reference)s, SHA-256 %(sha)s."
                )
                % values
            )
        else:
            lines.append(
                _(
                    "Slutlig ögonblicksbild (PDF/A) skapad %(date)s för perioden %(start)s–"
                    "%(end)s, SHA-256 %(sha)s."
                )
                % values
            )
    count = Document.objects.filter(account=account).count()
    if count:
        lines.append(
            ngettext(
                "%(count)d handling om kontot finns kvar i diariet.",
                "%(count)d handlingar om kontot finns kvar i diariet.",
                count,
            )
            % {"count": count}
        )
    return lines


def todos(user: User) -> list:
    """Start page: snapshot requests waiting for screenshots on the accounts this
    person is on, each with its link."""
    from accounts.navigation import TodoItem

    on = AccountMember.objects.current().filter(user=user).values("account_id")
    waiting = (
        SnapshotRequest.objects.filter(status=SnapshotRequest.Status.OPEN, account__in=on)
        .select_related("account")
        .order_by("requested_at", "pk")
    )
    return [
        TodoItem(
            _("Ladda upp skärmdumpar för ögonblicksbild: %(account)s (%(reason)s)")
            % {"account": r.account.display_name, "reason": r.get_reason_display().lower()},
            reverse("archive:snapshot_request", args=[r.pk]),
            order=40,
        )
        for r in waiting
    ]
