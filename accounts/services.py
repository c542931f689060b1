"""Writes for people: notifications, acknowledgements, competence, absences."""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import hooks
from accounts.models import (
    Absence,
    Notification,
    PlatformCompetence,
    PolicyAcknowledgement,
    PolicyVersion,
    User,
)
from accounts.permissions import can_publish_policy
from accounts.policy_text import parse
from nora_social.core.errors import ServiceError
from nora_social.core.history import set_history_user

logger = logging.getLogger(__name__)


class AccountsError(ServiceError):
    """A refused change, with a message a person can read and, where it concerns
    form fields, ``errors`` per field (see ``nora_social.core.errors``)."""


def notify(
    *,
    recipients: Iterable[User | None],
    subject: str,
    body: str,
    url: str = "",
    about: Model | None = None,
) -> list[Notification]:
    """Put a notice in each person's in-app list and e-mail it after commit.
    ``about`` is the record the notice is about: the notice goes with it when
    the record is disposed of or purged.

    Never pass a credential in subject or body: both are stored and mailed."""
    made = []
    seen = set()
    for person in recipients:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        made.append(
            Notification.objects.create(
                recipient=person, subject=subject, body=body, url=url, about=about
            )
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


class PolicyError(AccountsError):
    """A refused publication or acknowledgement. ``errors`` maps form field names
    ("" for the whole form) to the reasons, in Swedish."""


def policy_problems(
    *, title: str, decision_reference: str, decided_on: datetime.date | None, text: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not title.strip():
        add("title", _("Skriv policyns rubrik."))
    if not decision_reference.strip():
        add("decision_reference", _("Ange beslutet, t.ex. KF 2014-11-12 § 145."))
    if decided_on is None:
        add("decided_on", _("Ange när policyn antogs."))
    elif decided_on > timezone.localdate():
        add("decided_on", _("Beslutsdatumet kan inte ligga i framtiden."))
    if not text.strip():
        add("text", _("Klistra in policyns text."))
    elif not parse(text).sections:
        add(
            "text",
            _(
                "Texten har inga numrerade avsnitt. Varje avsnitt ska börja på en egen rad "
                "med sitt nummer, t.ex. 1. Inledning."
            ),
        )
    return errors


@transaction.atomic
def policy_publish(
    *,
    actor: User,
    decision_reference: str,
    decided_on: datetime.date | None,
    text: str,
    title: str = "Policy för sociala medier",
) -> PolicyVersion:
    """The information officer publishes the adopted policy (§12, §13) as a new
    version. It becomes the current one at once: everyone is asked to read and
    acknowledge it, and the register records it (the ``POLICY_PUBLISHED`` hook).
    A published version is never changed; a revision is a new version."""
    if not can_publish_policy(actor):
        raise PolicyError(_("Bara informationsansvarig kan publicera policyn."))
    errors = policy_problems(
        title=title, decision_reference=decision_reference, decided_on=decided_on, text=text
    )
    if errors:
        raise PolicyError(_("Policyn kunde inte publiceras."), errors)
    assert decided_on is not None  # policy_problems refuses a missing date  # nosec B101
    # Versions are numbered in order. Locking the newest makes a second publication
    # wait for the first; two first ones at once meet the unique number instead.
    last = PolicyVersion.objects.select_for_update().order_by("-number").first()
    policy = PolicyVersion(
        number=(last.number if last else 0) + 1,
        title=" ".join(title.split()),
        decision_reference=" ".join(decision_reference.split()),
        decided_on=decided_on,
        text=text.strip().replace("\r\n", "\n"),
        published_by=actor,
        published_at=timezone.now(),
    )
    set_history_user(policy, actor)
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError:
        raise PolicyError(
            _("En annan version publicerades samtidigt. Ladda om sidan och försök igen.")
        ) from None
    hooks.fire(hooks.POLICY_PUBLISHED, policy=policy, actor=actor)
    notify(
        recipients=User.objects.filter(is_active=True, groups__isnull=False)
        .exclude(left_on__lte=timezone.localdate())
        .distinct(),
        subject=_("Läs och kvittera policyn för sociala medier, %(version)s")
        % {"version": policy.label},
        body=_(
            "Informationsansvarig har publicerat %(version)s av policyn för sociala medier. "
            "Läs den och kvittera att du har gjort det (§12): tills dess kan du inte godkänna "
            "planer, deponera eller visa åtkomst eller logga modereringsåtgärder."
        )
        % {"version": policy.label},
        url=reverse("accounts:policy"),
        about=policy,
    )
    return policy


@transaction.atomic
def policy_acknowledge(*, user: User, actor: User, policy_id: int) -> PolicyAcknowledgement:
    """§12: the person confirms they have read this version of the policy. Only
    the current version can be acknowledged: one published while the person was
    reading must be read too. Acknowledging twice keeps the first date."""
    policy = PolicyVersion.objects.filter(pk=policy_id).first()
    current = PolicyVersion.objects.order_by("-number").first()
    if policy is None or current is None:
        raise PolicyError(_("Den versionen av policyn finns inte."))
    if policy.pk != current.pk:
        raise PolicyError(
            _(
                "En nyare version av policyn har publicerats (%(version)s). "
                "Läs den och kvittera den i stället."
            )
            % {"version": current.label}
        )
    ack = PolicyAcknowledgement.objects.filter(user=user, policy=policy).first()
    if ack is not None:
        return ack
    ack = PolicyAcknowledgement(
        user=user,
        policy=policy,
        policy_version=policy.label,
        recorded_by=actor,
        acknowledged_on=timezone.localdate(),
    )
    set_history_user(ack, actor)
    ack.save()
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
