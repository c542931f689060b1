"""The register for the registrar and staff, and its public part (§10).

Views are thin: permissions decide who may look, ``selectors`` read, ``services``
write. A refused registration is shown on the same page, answered 400, and
nothing is changed.
"""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from archive.errors import ArchiveError
from archive.models import DocumentFile
from archive.register import permissions, selectors, services
from archive.register.forms import (
    MinorForm,
    PendingRecordForm,
    PublicFilterForm,
    RegisterForm,
    SearchForm,
)
from archive.register.search import SearchPaginator
from channels_registry.permissions import get_account_for_user
from nora_social.core.csv_cells import csv_row
from nora_social.core.errors import add_to_form
from nora_social.core.records import kind_for

PAGE_SIZE = 25
EXPORT_LIMIT = 10_000
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(csv_row(row))
    return response


def _search_form(request) -> SearchForm:
    form = SearchForm(request.GET or None)
    if request.GET:
        form.is_valid()
    return form


@login_required
@require_safe
def search(request):
    """The registrar's search: free text, filters, date or relevance, 25 a page."""
    _require(permissions.can_search(request.user))
    form = _search_form(request)
    page = None
    if not form.errors:
        params = form.params() if form.is_bound else selectors.SearchParams()
        # Counts up to search.COUNT_CAP; see SearchPaginator.
        page = SearchPaginator(
            selectors.search_documents(params), PAGE_SIZE, rows=selectors.search_page_rows()
        ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "archive/search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_register": permissions.can_register(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def search_export(request):
    """The search result as CSV for the registrar (not public: it has parties)."""
    _require(permissions.can_search(request.user))
    form = _search_form(request)
    if form.errors:
        return render(request, "archive/search.html", {"form": form, "page": None}, status=400)
    documents = selectors.search_documents(
        form.params() if form.is_bound else selectors.SearchParams()
    )[:EXPORT_LIMIT]
    header = [
        _("Diarienummer"),
        _("Registrerad"),
        _("Inkom/upprättad"),
        _("Riktning"),
        _("Avsändare/mottagare"),
        _("Ärendemening"),
        _("Sekretess"),
        _("Konto"),
        _("Handläggare"),
    ]
    rows = (
        [
            d.reference,
            d.registered_on.isoformat(),
            d.document_date.isoformat(),
            d.get_direction_display(),
            d.party,
            d.subject,
            d.secrecy_provision,
            d.account.display_name if d.account else "",
            d.handling_officer or "",
        ]
        for d in documents
    )
    stamp = timezone.localdate().isoformat()
    return _csv_response(f"diariet-{stamp}.csv", header, rows)


@login_required
@GET_POST
def register(request):
    """The registrar registers a document by hand."""
    _require(permissions.can_register(request.user))
    initial = {}
    if request.GET.get("account"):
        initial["account"] = request.GET["account"]
    form = RegisterForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                document = services.register_document(
                    actor=request.user,
                    entry=form.entry(),
                    case_id=form.cleaned_data["case"].pk if form.cleaned_data["case"] else None,
                    account_id=form.cleaned_data["account"].pk
                    if form.cleaned_data["account"]
                    else None,
                )
            except ArchiveError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Handlingen är registrerad som %(reference)s.")
                    % {"reference": document.reference},
                )
                return redirect("archive:document_detail", pk=document.pk)
        return render(request, "archive/register.html", {"form": form}, status=400)
    return render(request, "archive/register.html", {"form": form})


def _record_from_post(request):
    """The record a button on the list names; an id that is not one is a 404."""
    chosen = PendingRecordForm(request.POST)
    if not chosen.is_valid():
        raise Http404
    try:
        content_type = ContentType.objects.get_for_id(chosen.cleaned_data["record_type"])
    except ContentType.DoesNotExist:
        raise Http404 from None
    model = content_type.model_class()
    if model not in services.registrable_models():
        raise Http404
    return get_object_or_404(model, pk=chosen.cleaned_data["record_id"])


@login_required
@GET_POST
def pending(request):
    """Records marked for registration that are not yet in the register."""
    _require(permissions.can_register(request.user))
    minor_form = MinorForm()
    status = 200
    if request.method == "POST":
        record = _record_from_post(request)
        try:
            if request.POST.get("action") == "minor":
                minor_form = MinorForm(request.POST)
                if not minor_form.is_valid():
                    raise ArchiveError(_("Ange skälet."))
                services.mark_minor(
                    record=record, actor=request.user, reason=minor_form.cleaned_data["reason"]
                )
                messages.success(request, _("Posten är markerad som av ringa betydelse."))
                return redirect("archive:pending")
            document = services.register_record(record=record, actor=request.user)
        except ArchiveError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(
                request,
                _("Handlingen är registrerad som %(reference)s.")
                % {"reference": document.reference},
            )
            return redirect("archive:document_detail", pk=document.pk)
    records = selectors.awaiting_registration()
    for record in records:
        record.content_type_id = ContentType.objects.get_for_model(record).pk
    return render(
        request,
        "archive/pending.html",
        {"records": records, "minor_form": minor_form},
        status=status,
    )


@login_required
@require_safe
def document_detail(request, pk: int):
    document = permissions.get_document_for_user(request.user, pk)
    record = document.record if document.record_id else None
    files = list(document.files.order_by("pk"))
    return render(
        request,
        "archive/document_detail.html",
        {
            "document": document,
            "record": record,
            "record_url": _record_url(record),
            "files": files if permissions.can_read_document_files(request.user, document) else [],
        },
    )


@login_required
@require_safe
def document_file(request, pk: int, file_pk: int):
    """A registered document's own file (a report's PDF/A), never cached; 404
    to whoever may not see the document or read its files."""
    document = permissions.get_document_for_user(request.user, pk)
    if not permissions.can_read_document_files(request.user, document):
        raise Http404
    stored = get_object_or_404(DocumentFile, pk=file_pk, document=document)
    response = FileResponse(
        stored.file.open("rb"),
        content_type=stored.mimetype,
        as_attachment=True,
        filename=stored.name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _record_url(record) -> str:
    """Where the record is seen, as its kind says."""
    if record is None:
        return ""
    url = getattr(record, "get_absolute_url", None)
    if callable(url):
        return url()
    kind = kind_for(record)
    if kind is None or kind.url is None:
        return ""
    try:
        return kind.url(record)
    except NoReverseMatch:
        return ""


@login_required
@require_safe
def account_documents(request, pk: int):
    """The documents registered for an account the person may see."""
    account = get_account_for_user(request.user, pk)
    documents = list(selectors.documents_for_account(account)[:500])
    return render(
        request,
        "archive/account_documents.html",
        {
            "account": account,
            "documents": documents,
            "can_register": permissions.can_register(request.user),
        },
    )


@login_required
@require_safe
def media_register(request):
    """§10: the register of social media per administration, past and present."""
    accounts = list(selectors.media_register(request.user))
    groups: dict = {}
    for account in accounts:
        groups.setdefault(account.unit.administration, []).append(account)
    return render(request, "archive/media_register.html", {"groups": groups.items()})


@login_required
@require_safe
def media_register_csv(request):
    header = [
        _("Förvaltning"),
        _("Enhet"),
        _("Plattform"),
        _("Konto"),
        _("Användarnamn"),
        _("Adress"),
        _("Status"),
        _("Planerat"),
        _("Aktiverat"),
        _("Stängt"),
    ]
    rows = (
        [
            a.unit.administration.name,
            a.unit.name,
            a.platform.name,
            a.display_name,
            a.handle,
            a.url,
            a.get_status_display(),
            a.planned_on.isoformat() if a.planned_on else "",
            a.activated_on.isoformat() if a.activated_on else "",
            a.closed_on.isoformat() if a.closed_on else "",
        ]
        for a in selectors.media_register(request.user)
    )
    stamp = timezone.localdate().isoformat()
    return _csv_response(f"register-sociala-medier-{stamp}.csv", header, rows)


@require_safe
def public_register(request):
    """The public part of the register: reference, date, direction and subject,
    or the secrecy marking. No content, no parties, no export, no free text."""
    form = PublicFilterForm(request.GET or None)
    administration = year = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            administration = form.cleaned_data["administration"]
            year = form.cleaned_data["year"]
        else:
            status = 400
    page = Paginator(
        selectors.public_documents(administration=administration, year=year), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "archive/public_register.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=status,
    )
