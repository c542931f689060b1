"""Writes for people: notifications, acknowledgements, competence, absences."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    POLICY_VERSION,
    Absence,
    Notification,
    PlatformCompetence,
    PolicyAcknowledgement,
    User,
)
from nora_social.history import set_history_user

logger = logging.getLogger(__name__)


class AccountsError(Exception):
    """A refused change, with a message a person can read."""


def notify(
    *, recipients: Iterable[User | None], subject: str, body: str, url: str = ""
) -> list[Notification]:
    """Put a notice in each person's in-app list and e-mail it after commit.

    Never pass a credential in subject or body: both are stored and mailed."""
    made = []
    seen = set()
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        made.append(
            Notification.objects.create(recipient=person, subject=subject, body=body, url=url)
        )

    def _send() -> None:
        for note in made:
            if not note.recipient.email:
                continue
            link = f"\n\n{settings.SITE_URL}{note.url}" if note.url else ""
            try:
                send_mail(note.subject, f"{note.body}{link}", None, [note.recipient.email])
            except OSError:
                logger.warning(
                    "Mail to user %s could not be sent; it stays in the app.", note.recipient_id
                )
                continue
            Notification.objects.filter(pk=note.pk).update(emailed=True)

    transaction.on_commit(_send)
    return made


def notification_mark_read(*, user: User, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def policy_acknowledge(*, user: User, actor: User) -> PolicyAcknowledgement:
    """§12: the person confirms they have read the policy."""
    ack, _created = PolicyAcknowledgement.objects.get_or_create(
        user=user,
        policy_version=POLICY_VERSION,
        defaults={"recorded_by": actor, "acknowledged_on": timezone.localdate()},
    )
    return ack


@transaction.atomic
def competence_record(
    *,
    user: User,
    platform: str,
    actor: User,
    achieved_on: datetime.date | None = None,
    how: str = "",
) -> PlatformCompetence:
    """§9: the person has basic knowledge of the platform."""
    competence, created = PlatformCompetence.objects.get_or_create(
        user=user,
        platform=platform,
        defaults={
            "recorded_by": actor,
            "achieved_on": achieved_on or timezone.localdate(),
            "how": how,
        },
    )
    if not created:
        competence.achieved_on = achieved_on or competence.achieved_on
        competence.how = how or competence.how
        competence.recorded_by = actor
        set_history_user(competence, actor)
        competence.save()
    return competence


@transaction.atomic
def absence_register(
    *, user: User, starts_on: datetime.date, ends_on: datetime.date, note: str, actor: User
) -> Absence:
    if ends_on < starts_on:
        raise AccountsError(_("Slutdatum kan inte vara före startdatum."))
    absence = Absence(user=user, starts_on=starts_on, ends_on=ends_on, note=note)
    set_history_user(absence, actor)
    absence.save()
    return absence
