"""Reads of the register, already filtered and with their joins."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, QuerySet

from accounts.models import Administration, User
from archive.models import Case, Document, MinorRecord
from archive.register import search
from archive.register.services import registrable_models
from channels_registry.models import SocialAccount
from channels_registry.selectors import accounts_visible_to


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related(
        "case",
        "account__platform",
        "account__unit__administration",
        "handling_officer",
    ).defer("search_vector")


@dataclass
class SearchParams:
    text: str = ""
    administration: Administration | None = None
    account: SocialAccount | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    direction: str = ""
    secrecy: str = ""  # "", "secret" or "open"
    sort: str = "date"  # "date" or "relevance"


def search_documents(params: SearchParams) -> QuerySet[Document]:
    """The registrar's search: free text over subject, parties and the linked
    records' content; filters; newest first or most relevant first."""
    qs = _documents()
    if params.administration is not None:
        qs = qs.filter(administration=params.administration)
    if params.account is not None:
        qs = qs.filter(account=params.account)
    if params.date_from:
        qs = qs.filter(document_date__gte=params.date_from)
    if params.date_to:
        qs = qs.filter(document_date__lte=params.date_to)
    if params.direction:
        qs = qs.filter(direction=params.direction)
    if params.secrecy == "secret":
        qs = qs.exclude(secrecy_provision="")
    elif params.secrecy == "open":
        qs = qs.filter(secrecy_provision="")
    by_relevance = params.sort == "relevance" and bool(params.text.strip())
    qs = search.apply_text_search(qs, params.text, rank=by_relevance)
    if by_relevance:
        return qs.order_by("-rank", "-document_date", "-pk")
    return qs.order_by("-document_date", "-registered_on", "-pk")


def search_page_rows() -> QuerySet[Document]:
    """What the search page shows of each document, read by primary key (see
    ``search.SearchPaginator``): fewer joins, no search text, no text search."""
    return Document.objects.select_related("case", "account").only(
        "pk",
        "number",
        "document_date",
        "direction",
        "subject",
        "party",
        "secrecy_provision",
        "case__series",
        "case__year",
        "case__number",
        "account__display_name",
    )


def documents_for_account(account: SocialAccount) -> QuerySet[Document]:
    return _documents().filter(account=account).order_by("-document_date", "-pk")


def public_documents(
    *, administration: Administration | None = None, year: int | None = None
) -> QuerySet[Document]:
    """The public part of the register: only what DESIGN.md allows, nothing
    else is even loaded (no party, no content, no officer)."""
    qs = Document.objects.select_related("case").only(
        "pk",
        "number",
        "registered_on",
        "document_date",
        "direction",
        "subject",
        "secrecy_provision",
        "subject_masked",
        "case__series",
        "case__year",
        "case__number",
    )
    if administration is not None:
        qs = qs.filter(case__administration=administration)
    if year:
        qs = qs.filter(registered_on__year=year)
    return qs.order_by("-registered_on", "-pk")


def media_register(user: User) -> QuerySet[SocialAccount]:
    """§10: every account, past and present, per administration, with its dates."""
    return accounts_visible_to(user).order_by(
        "unit__administration__name", "platform__name", "display_name", "pk"
    )


def awaiting_registration() -> list:
    """Records marked for registration (secret moderation content, §10) that are
    neither registered nor marked as of little importance."""
    pending: list[Model] = []
    for model in registrable_models():
        if not any(f.name == "for_registration" for f in model._meta.get_fields()):
            continue
        content_type = ContentType.objects.get_for_model(model)
        registered = Document.objects.filter(record_type=content_type, record_id=OuterRef("pk"))
        minor = MinorRecord.objects.filter(record_type=content_type, record_id=OuterRef("pk"))
        qs = (
            model._default_manager.filter(for_registration=True)
            .filter(~Exists(registered), ~Exists(minor))
            .select_related("account__platform")
        )
        pending.extend(qs)
    return pending


# --- Cases -----------------------------------------------------------------------


def cases(
    *, administration: Administration | None = None, year: int | None = None, status: str = ""
) -> QuerySet[Case]:
    """The registrar's list of cases, newest first."""
    qs = Case.objects.select_related("administration")
    if administration is not None:
        qs = qs.filter(administration=administration)
    if year:
        qs = qs.filter(year=year)
    if status == "open":
        qs = qs.filter(closed_on__isnull=True)
    elif status == "closed":
        qs = qs.filter(closed_on__isnull=False)
    return qs.order_by("-year", "series", "-number")


def case_documents(case: Case) -> QuerySet[Document]:
    return _documents().filter(case=case).order_by("number")


def public_cases(
    *, administration: Administration | None = None, year: int | None = None
) -> QuerySet[Case]:
    """The public list of cases: reference, dates and title or the secrecy
    marking; nothing else is loaded (no account, no people)."""
    qs = Case.objects.only(
        "pk", "series", "year", "number", "title", "secrecy_provision", "opened_on", "closed_on"
    )
    if administration is not None:
        qs = qs.filter(administration=administration)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "series", "-number")


def public_case_documents(case: Case) -> QuerySet[Document]:
    return public_documents().filter(case=case).order_by("number")
