"""The registrar's cases (§10; OSL 5 kap.): open a case in any series, file
documents into it from any account or from outside, link related cases, close
it and open it again with a reason.

A case's number comes from its series' own counter (``services.case_open``),
as every case's does: an account's collective case, a request's, the policy's.
Every change is saved with its actor in the history; nothing is deleted.
"""

import re

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Administration, User
from archive.errors import ArchiveError
from archive.models import Case, CaseLink, Document, SecrecyProvision
from archive.register import services
from archive.register.permissions import can_manage_cases
from channels_registry.models import SocialAccount
from nora_social.core.history import set_history_user
from nora_social.core.uploads import check_document_file

CASE_REFERENCE = re.compile(r"^\s*([A-ZÅÄÖ]{1,10})\s+(\d{4})\s*/\s*(\d+)\s*$", re.IGNORECASE)


def _refuse(field: str, message: str) -> ArchiveError:
    return ArchiveError(message, {field: [message]})


def _allowed(actor: User) -> None:
    if not can_manage_cases(actor):
        raise ArchiveError(_("Bara registrator kan öppna, länka och avsluta ärenden."))


def _check_provision(provision: str, field: str) -> str:
    """A secrecy marking names a provision on the maintained list."""
    provision = provision.strip()
    if provision and not SecrecyProvision.objects.filter(provision=provision, active=True).exists():
        raise _refuse(field, _("Välj en bestämmelse från listan över sekretessbestämmelser."))
    return provision


def _locked_open(case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        raise _refuse(
            "case", _("Ärendet är avslutat. Öppna det igen för att registrera fler handlingar.")
        )
    return case


def find_case(reference: str) -> Case | None:
    """The case with this reference ("KS 2026/17")."""
    match = CASE_REFERENCE.match(reference.replace("–", "-"))
    if match is None:
        return None
    series, year, number = match.groups()
    return Case.objects.filter(series=series.upper(), year=int(year), number=int(number)).first()


@transaction.atomic
def open_case(
    *, actor: User, administration: Administration, title: str, secrecy_provision: str = ""
) -> Case:
    """The registrar opens a case in an administration's series; its number is
    the next in that series and year."""
    _allowed(actor)
    provision = _check_provision(secrecy_provision, "secrecy_provision")
    return services.case_open(
        administration=administration, title=title, actor=actor, secrecy_provision=provision
    )


@transaction.atomic
def file_document(
    *,
    actor: User,
    case: Case,
    entry: services.Entry,
    account: SocialAccount | None = None,
    upload: UploadedFile | None = None,
) -> Document:
    """File a document into the case: about any account or none (from outside),
    received, sent or drawn up, with its party and a secrecy marking from the
    list; an uploaded file must pass the kernel's file check."""
    _allowed(actor)
    case = _locked_open(case)
    entry.secrecy_provision = _check_provision(entry.secrecy_provision, "secrecy_provision")
    checked = None
    if upload is not None:
        try:
            checked = (upload, check_document_file(upload).extension)
        except ValidationError as error:
            raise _refuse("file", error.messages[0]) from None
    return services.create_document(
        case=case, entry=entry, account=account, actor=actor, record=None, upload=checked
    )


@transaction.atomic
def link_cases(*, actor: User, case: Case, other_reference: str) -> CaseLink:
    """Link two related cases; the link shows on both."""
    _allowed(actor)
    other = find_case(other_reference)
    if other is None:
        raise _refuse("reference", _("Det finns inget ärende med det diarienumret."))
    if other.pk == case.pk:
        raise _refuse("reference", _("Ett ärende kan inte länkas till sig självt."))
    pair = Q(case=case, other=other) | Q(case=other, other=case)
    if CaseLink.objects.filter(pair).exists():
        raise _refuse("reference", _("Ärendena är redan länkade."))
    link = CaseLink(case=case, other=other, linked_by=actor)
    set_history_user(link, actor)
    link.save()
    return link


def linked_cases(case: Case) -> list[Case]:
    """The cases linked to this one, in either direction."""
    links = CaseLink.objects.filter(Q(case=case) | Q(other=case)).select_related("case", "other")
    return [link.other if link.case_id == case.pk else link.case for link in links]


def close_quietly(*, actor: User, case: Case) -> Case:
    """Close the case (the request's own close calls this); no checks of who."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        return case
    case.closed_on = timezone.localdate()
    case.closed_by = actor
    set_history_user(case, actor)
    case.save()
    return case


@transaction.atomic
def close_case(*, actor: User, case: Case) -> Case:
    """Close a case. A request's case closes with the request; an account's
    collective case for this year stays open while records come in."""
    _allowed(actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        raise ArchiveError(_("Ärendet är redan avslutat."))
    if case.records_requests.exclude(status="closed").exists():
        raise ArchiveError(
            _(
                "Begäran om allmän handling i ärendet är inte avslutad. Avsluta den på begärans sida."
            )
        )
    if case.is_collective and case.year >= timezone.localdate().year:
        raise ArchiveError(_("Kontots samlingsärende för i år avslutas inte förrän året är slut."))
    return close_quietly(actor=actor, case=case)


@transaction.atomic
def reopen_case(*, actor: User, case: Case, reason: str) -> Case:
    """Open a closed case again, with the reason (kept in the history)."""
    _allowed(actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_closed:
        raise ArchiveError(_("Ärendet är inte avslutat."))
    reason = " ".join(reason.split())
    if not reason:
        raise _refuse("reason", _("Ange varför ärendet öppnas igen."))
    case.closed_on = None
    case.closed_by = None
    case.reopen_reason = reason[:300]
    set_history_user(case, actor)
    case.save()
    return case
