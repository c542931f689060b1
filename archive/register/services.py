"""Writes to the register (§10; OSL 5 kap. 1, 2 och 5 §§).

Numbers are allocated from locked counter rows: a case number from the
``CaseCounter`` row of its series and year, a document number from its case row.
Both locks are held to the end of the registration's transaction, so two
registrations at once wait for each other and get consecutive numbers, and a
registration that fails rolls its number back with it: no gaps, no duplicates.

Other apps register their records through ``register_record`` (or the registrar
through ``register_document``); each record is registered once.
"""

import datetime
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Administration, PolicyVersion, User
from archive.errors import ArchiveError
from archive.models import Case, CaseCounter, Direction, Document, MinorRecord
from archive.register import search
from archive.register.permissions import can_register
from channels_registry.models import SocialAccount
from channels_registry.permissions import can_view_account
from nora_social.core import records
from nora_social.core.history import set_history_user
from nora_social.core.uploads import upload_sha256

# "OSL 21 kap. 7 §", "26 kap. 1 § OSL", "21 kap. 7 § offentlighets- och sekretesslagen"
PROVISION = re.compile(r"\d+\s*kap\.\s*\d+\s*[a-z]?\s*§", re.IGNORECASE)


@dataclass
class Entry:
    """What a document entry says, before it has a number."""

    direction: str
    document_date: datetime.date | None
    subject: str
    party: str = ""
    secrecy_provision: str = ""
    subject_masked: bool = True
    handling_officer: User | None = None
    content_text: str = ""


# --- Numbers -------------------------------------------------------------------


def _locked_counter(series: str, year: int) -> CaseCounter:
    counter = CaseCounter.objects.select_for_update().filter(series=series, year=year).first()
    if counter is not None:
        return counter
    try:
        # Two first registrations of a year may race to create the row: the
        # loser's insert waits for the winner, fails, and locks the winner's row.
        with transaction.atomic():
            CaseCounter.objects.create(series=series, year=year)
    except IntegrityError:
        pass
    return CaseCounter.objects.select_for_update().get(series=series, year=year)


def _next_case_number(series: str, year: int) -> int:
    counter = _locked_counter(series, year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def case_open(
    *,
    administration: Administration,
    title: str,
    actor: User,
    account: SocialAccount | None = None,
    opened_on: datetime.date | None = None,
    secrecy_provision: str = "",
) -> Case:
    """Open a case with the next number in the nämnd's series and the year."""
    title = title.strip()
    if not title:
        raise ArchiveError(_("Skriv en ärendemening."), {"title": [_("Skriv en ärendemening.")]})
    opened_on = opened_on or timezone.localdate()
    series = administration.register_series
    case = Case(
        administration=administration,
        series=series,
        year=opened_on.year,
        number=_next_case_number(series, opened_on.year),
        title=title,
        account=account,
        opened_on=opened_on,
        opened_by=actor,
        secrecy_provision=secrecy_provision.strip(),
    )
    set_history_user(case, actor)
    case.save()
    return case


@transaction.atomic
def collective_case_for(*, account: SocialAccount, year: int, actor: User) -> Case:
    """The account's one collective case for the year, opened when first needed
    (§10). The account row is the lock, so two first records of a year share it."""
    account = (
        SocialAccount.objects.select_for_update()
        .select_related("unit__administration", "platform")
        .get(pk=account.pk)
    )
    case = Case.objects.filter(account=account, year=year, is_collective=True).first()
    if case is not None:
        return case
    administration = account.unit.administration
    series = administration.register_series
    case = Case(
        administration=administration,
        series=series,
        year=year,
        number=_next_case_number(series, year),
        title=_("Sociala medier: %(account)s (%(platform)s), handlingar %(year)s")
        % {"account": account.display_name, "platform": account.platform.name, "year": year},
        account=account,
        is_collective=True,
        opened_on=timezone.localdate(),
        opened_by=actor,
    )
    set_history_user(case, actor)
    case.save()
    return case


# --- Documents -----------------------------------------------------------------


def entry_problems(entry: Entry, *, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if entry.direction not in Direction.values:
        add("direction", _("Välj om handlingen är inkommen eller upprättad."))
    if not entry.subject.strip():
        add("subject", _("Skriv en ärendemening."))
    party = entry.party.strip()
    if party and len(party) > 2 and party.casefold() in entry.subject.casefold():
        add(
            "subject",
            _(
                "Ärendemeningen visas för allmänheten och får inte innehålla avsändarens "
                "eller mottagarens namn."
            ),
        )
    if entry.document_date is None:
        add("document_date", _("Ange när handlingen kom in eller upprättades."))
    elif entry.document_date > today:
        add("document_date", _("Datumet kan inte ligga i framtiden."))
    provision = entry.secrecy_provision.strip()
    if provision and not PROVISION.search(provision):
        add(
            "secrecy_provision",
            _('Ange bestämmelsen med kapitel och paragraf, t.ex. "OSL 21 kap. 7 §".'),
        )
    return errors


def create_document(
    *,
    case: Case,
    entry: Entry,
    account: SocialAccount | None,
    actor: User,
    record: Model | None,
    upload: tuple[File, str] | None = None,
) -> Document:
    """Number and save the entry; ``upload`` is a checked file and its
    extension, stored under a name of its own (never the sender's)."""
    today = timezone.localdate()
    errors = entry_problems(entry, today=today)
    record_type = None
    if record is not None:
        record_type = ContentType.objects.get_for_model(record)
        if Document.objects.filter(record_type=record_type, record_id=record.pk).exists():
            errors.setdefault("", []).append(_("Posten är redan registrerad i diariet."))
    if errors:
        raise ArchiveError(_("Handlingen kunde inte registreras."), errors)

    assert entry.document_date is not None  # entry_problems refused an entry without one  # nosec B101
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.last_document_number += 1
    case.save(update_fields=["last_document_number"])
    subject = " ".join(entry.subject.split())
    party = entry.party.strip()
    document = Document(
        case=case,
        administration_id=case.administration_id,
        number=case.last_document_number,
        registered_on=today,
        document_date=entry.document_date,
        direction=entry.direction,
        party=party,
        subject=subject,
        account=account,
        handling_officer=entry.handling_officer,
        secrecy_provision=entry.secrecy_provision.strip(),
        subject_masked=entry.subject_masked,
        record_type=record_type,
        record_id=record.pk if record is not None else None,
        search_text=search.build_search_text(subject, party, entry.content_text),
        registered_by=actor,
    )
    if upload is not None:
        content, extension = upload
        document.file_sha256 = upload_sha256(content)
        document.file.save(f"handling-{secrets.token_hex(8)}.{extension}", content, save=False)
    set_history_user(document, actor)
    document.save()
    search.refresh_vector(document)
    return document


@transaction.atomic
def register_document(
    *,
    actor: User,
    entry: Entry,
    case_id: int | None = None,
    account_id: int | None = None,
    record: Model | None = None,
) -> Document:
    """The registrar registers a document (OSL 5 kap. 1 §): in the case named,
    or else in the account's collective case for this year."""
    if not can_register(actor):
        raise ArchiveError(_("Du får inte registrera handlingar i diariet."))
    account = SocialAccount.objects.filter(pk=account_id).first() if account_id else None
    if account_id and account is None:
        raise ArchiveError(_("Kontot finns inte."), {"account": [_("Kontot finns inte.")]})
    if case_id:
        case = Case.objects.filter(pk=case_id).first()
        if case is None:
            raise ArchiveError(_("Ärendet finns inte."), {"case": [_("Ärendet finns inte.")]})
        if case.is_closed:
            message = _("Ärendet är avslutat. Öppna det igen för att registrera fler handlingar.")
            raise ArchiveError(message, {"case": [message]})
    elif account is not None:
        case = collective_case_for(account=account, year=timezone.localdate().year, actor=actor)
    else:
        message = _("Välj ett ärende eller ett konto vars samlingsärende handlingen hör till.")
        raise ArchiveError(message, {"case": [message]})
    if account is None and case.account_id:
        account = case.account
    return create_document(case=case, entry=entry, account=account, actor=actor, record=record)


# --- Records of other apps ----------------------------------------------------


# Any: a record of another app, known here only by its registered kind.
def entry_for_record(record: Any) -> Entry:
    """How a record of another app is entered, as its kind says
    (``nora_social.core.records``)."""
    kind = records.kind_for(record)
    if kind is None or kind.entry is None:
        raise ArchiveError(_("Den här sortens post kan inte registreras automatiskt."))
    entry = kind.entry(record)
    return Entry(
        direction=entry.direction,
        document_date=entry.document_date,
        subject=entry.subject,
        party=entry.party,
        secrecy_provision=entry.secrecy_provision,
        handling_officer=entry.handling_officer,
        content_text=entry.content_text,
    )


def _record_account(record: Model) -> SocialAccount | None:
    account_id = getattr(record, "account_id", None)
    return SocialAccount.objects.filter(pk=account_id).first() if account_id else None


@transaction.atomic
def register_record(*, record: Model, actor: User, entry: Entry | None = None) -> Document:
    """Register another app's record in its account's collective case for the
    year (§10). Called by the registrar, or by the app that logged the record on
    behalf of the person who logged it (who must be able to see the account).
    Moderation records marked for registration go here, secret ones with their
    OSL provision."""
    account = _record_account(record)
    if account is None:
        raise ArchiveError(_("Posten hör inte till något konto och kan inte registreras här."))
    if not (can_register(actor) or can_view_account(actor, account)):
        raise ArchiveError(_("Du får inte registrera handlingar för det här kontot."))
    if is_minor(record):
        raise ArchiveError(_("Posten är markerad som av ringa betydelse och registreras inte."))
    entry = entry or entry_for_record(record)
    case = collective_case_for(account=account, year=timezone.localdate().year, actor=actor)
    return create_document(case=case, entry=entry, account=account, actor=actor, record=record)


def _policy_administration(actor: User) -> Administration | None:
    """The administration whose series numbers the policy's case: the
    publisher's own, else the municipal board's (KS), else the first."""
    unit = actor.unit
    if unit is not None:
        return unit.administration
    return (
        Administration.objects.filter(register_series="KS").order_by("pk").first()
        or Administration.objects.order_by("pk").first()
    )


@transaction.atomic
def register_policy(*, policy: PolicyVersion, actor: User) -> Document:
    """A published version of the policy (§12, §13) enters the register as a
    drawn-up document dated by its decision. Every version goes in one case, the
    policy's own, opened with the first version; the text is searchable."""
    policy_type = ContentType.objects.get_for_model(policy)
    earlier = (
        Document.objects.filter(record_type=policy_type)
        .select_related("case")
        .order_by("registered_on", "pk")
        .first()
    )
    if earlier is not None:
        case = earlier.case
    else:
        administration = _policy_administration(actor)
        if administration is None:
            raise ArchiveError(_("Det finns ingen förvaltning vars diarieserie policyn kan få."))
        case = case_open(
            administration=administration,
            title=_("Policy för sociala medier"),
            actor=actor,
            opened_on=timezone.localdate(),
        )
    entry = Entry(
        direction=Direction.DRAWN_UP,
        document_date=policy.decided_on,
        subject=_("%(title)s, %(version)s") % {"title": policy.title, "version": policy.label},
        handling_officer=actor,
        content_text=policy.text,
    )
    return create_document(case=case, entry=entry, account=None, actor=actor, record=policy)


def register_record_if_marked(*, record: Model, actor: User) -> Document | None:
    """For the moderation app's "logged" event: register a record marked for
    registration (secret content, §10), once; anything else is left alone."""
    if not getattr(record, "for_registration", False):
        return None
    if is_registered(record):
        return None
    return register_record(record=record, actor=actor)


def is_registered(record: Model) -> bool:
    return Document.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk
    ).exists()


def is_minor(record: Model) -> bool:
    return MinorRecord.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk
    ).exists()


@transaction.atomic
def mark_minor(*, record: Model, actor: User, reason: str) -> MinorRecord:
    """§10: a record of little importance ("ringa betydelse") needs no entry.
    Only the registrar decides; a registered or secret record cannot be marked."""
    if not can_register(actor):
        raise ArchiveError(_("Bara registrator kan markera handlingar som av ringa betydelse."))
    reason = reason.strip()
    if not reason:
        raise ArchiveError(_("Ange skälet."), {"reason": [_("Ange skälet.")]})
    if is_registered(record):
        raise ArchiveError(_("Posten är redan registrerad i diariet."))
    if getattr(record, "secrecy_provision", ""):
        raise ArchiveError(_("En handling med sekretess ska registreras (OSL 5 kap. 1 §)."))
    record_type = ContentType.objects.get_for_model(record)
    if MinorRecord.objects.filter(record_type=record_type, record_id=record.pk).exists():
        raise ArchiveError(_("Posten är redan markerad som av ringa betydelse."))
    mark = MinorRecord(record_type=record_type, record_id=record.pk, reason=reason, marked_by=actor)
    set_history_user(mark, actor)
    mark.save()
    return mark


def registrable_models() -> list[type[Model]]:
    """The record models that registered kinds enter in the register."""
    return [kind.model for kind in records.registrable()]
