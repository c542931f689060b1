"""The registrar's cases (open, file documents, link, close, open again) and
the public list of cases (§10). Thin: permissions decide who may look (403 for
a page the role never uses, 404 for a case one may not see), ``cases`` writes,
and a refusal is shown on the form (400) with nothing changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from archive.errors import ArchiveError
from archive.models import Case
from archive.register import cases, permissions, selectors
from archive.register.case_forms import (
    CaseFilterForm,
    CaseOpenForm,
    FileDocumentForm,
    LinkForm,
    ReopenForm,
)
from archive.register.forms import PublicFilterForm
from nora_social.core.errors import add_to_form

PAGE_SIZE = 25
GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
@require_safe
def case_list(request):
    _require(permissions.can_search(request.user))
    form = CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(
        selectors.cases(
            administration=filters.get("administration"),
            year=filters.get("year"),
            status=filters.get("status") or "",
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "archive/cases/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_manage": permissions.can_manage_cases(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@GET_POST
def case_open(request):
    _require(permissions.can_manage_cases(request.user))
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                case = cases.open_case(actor=request.user, **form.cleaned_data)
            except ArchiveError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request, _("Ärendet %(reference)s är öppnat.") % {"reference": case.reference}
                )
                return redirect("archive:case_detail", pk=case.pk)
        return render(request, "archive/cases/open.html", {"form": form}, status=400)
    return render(request, "archive/cases/open.html", {"form": form})


def _detail(request, case: Case, *, status: int = 200, **forms):
    can_manage = permissions.can_manage_cases(request.user)
    context = {
        "case": case,
        "documents": list(selectors.case_documents(case)),
        "linked": cases.linked_cases(case),
        "requests": list(case.records_requests.all())
        if request.user.has_perm("archive.handle_records_requests")
        else [],
        "can_manage": can_manage,
        "file_form": FileDocumentForm(prefix="f"),
        "link_form": LinkForm(prefix="l"),
        "reopen_form": ReopenForm(prefix="o"),
        "history": case.history.select_related("history_user").order_by("history_date"),
    }
    context.update(forms)
    return render(request, "archive/cases/detail.html", context, status=status)


@login_required
@require_safe
def case_detail(request, pk: int):
    case = permissions.get_case_for_user(request.user, pk)
    response = _detail(request, case)
    response["Cache-Control"] = "private, no-store"
    return response


def _managed(request, pk: int) -> Case:
    case = permissions.get_case_for_user(request.user, pk)
    _require(permissions.can_manage_cases(request.user))
    return case


@login_required
@require_POST
def case_file(request, pk: int):
    case = _managed(request, pk)
    form = FileDocumentForm(request.POST, request.FILES, prefix="f")
    if form.is_valid():
        try:
            document = cases.file_document(
                actor=request.user,
                case=case,
                entry=form.entry(),
                account=form.cleaned_data["account"],
                upload=form.cleaned_data["file"],
            )
        except ArchiveError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("Handlingen är registrerad som %(reference)s.")
                % {"reference": document.reference},
            )
            return redirect("archive:case_detail", pk=case.pk)
    return _detail(request, case, status=400, file_form=form)


@login_required
@require_POST
def case_link(request, pk: int):
    case = _managed(request, pk)
    form = LinkForm(request.POST, prefix="l")
    if form.is_valid():
        try:
            cases.link_cases(
                actor=request.user, case=case, other_reference=form.cleaned_data["reference"]
            )
        except ArchiveError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Ärendena är länkade."))
            return redirect("archive:case_detail", pk=case.pk)
    return _detail(request, case, status=400, link_form=form)


@login_required
@require_POST
def case_close(request, pk: int):
    case = _managed(request, pk)
    try:
        cases.close_case(actor=request.user, case=case)
    except ArchiveError as error:
        messages.error(request, error.message)
        return _detail(request, case, status=400)
    messages.success(request, _("Ärendet är avslutat."))
    return redirect("archive:case_detail", pk=case.pk)


@login_required
@require_POST
def case_reopen(request, pk: int):
    case = _managed(request, pk)
    form = ReopenForm(request.POST, prefix="o")
    if form.is_valid():
        try:
            cases.reopen_case(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ArchiveError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Ärendet är öppnat igen."))
            return redirect("archive:case_detail", pk=case.pk)
    return _detail(request, case, status=400, reopen_form=form)


@login_required
@require_safe
def document_file(request, pk: int):
    """The file filed with a document, as a download (never shown inline)."""
    document = permissions.get_document_for_user(request.user, pk)
    if not document.file:
        raise Http404
    extension = document.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.reference.replace(' ', '-').replace('/', '-')}.{extension}",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The public register's cases ----------------------------------------------------


@require_safe
def public_cases(request):
    """The public list of cases: reference, dates, title or the secrecy marking."""
    form = PublicFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(
        selectors.public_cases(
            administration=filters.get("administration"), year=filters.get("year")
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "archive/cases/public_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@require_safe
def public_case(request, pk: int):
    case = get_object_or_404(selectors.public_cases(), pk=pk)
    return render(
        request,
        "archive/cases/public_detail.html",
        {
            "case": case,
            "documents": list(selectors.public_case_documents(case)),
            "linked": cases.linked_cases(case),
        },
    )
