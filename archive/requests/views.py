"""The registrar's pages for requests: the queue with the clock and the
dashboard, registering a request that came by phone, e-mail, letter or a
visit, the request page (take, assess, mask, pause, hand out, decide, appeal,
close), the masking page and the delegation list. Thin: permissions decide who
may look (403 for a page the role never uses, 404 for a request one may not
see), services write, and a refusal is shown on the form (400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from archive.requests import clock, decisions, mail, masking, permissions, selectors, services
from archive.requests.forms import (
    AddDocumentForm,
    AppealForm,
    AssessForm,
    DecisionForm,
    DelegationForm,
    HandOutForm,
    PauseForm,
    RegionMaskForm,
    SentForm,
    StaffRequestForm,
    StringMaskForm,
)
from archive.requests.models import Decision, Delegation, HandOut, RequestedDocument
from nora_social.core.errors import ServiceError, add_to_form

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def queue(request):
    _require(permissions.can_use_requests(request.user))
    show_all = request.GET.get("alla") == "1"
    return render(
        request,
        "archive/requests/queue.html",
        {
            "rows": selectors.queue(request.user, open_only=not show_all),
            "show_all": show_all,
            "dashboard": selectors.dashboard(request.user),
            "can_handle": permissions.can_handle(request.user),
            "limit_days": clock.limit_working_days(),
        },
    )


@login_required
@GET_POST
def register(request):
    _require(permissions.can_handle(request.user))
    form = StaffRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            records_request, _token = services.submit(
                description=data["description"],
                reference=data["reference"],
                delivery=data["delivery"],
                name=data["name"],
                email=data["email"],
                address=data["address"],
                channel=data["channel"],
                received_at=data["received_at"],
                actor=request.user,
                is_threat=data["is_threat"],
            )
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("Begäran är registrerad som %(reference)s.") % {"reference": records_request},
            )
            return redirect("archive:request_detail", pk=records_request.pk)
    status = 400 if form.is_bound else 200
    return render(request, "archive/requests/register.html", {"form": form}, status=status)


def _detail_context(request, records_request, **forms):
    decision = Decision.objects.filter(request=records_request).first()
    items = list(
        records_request.documents.select_related("document__case", "assessed_by").prefetch_related(
            "masks__masked_by"
        )
    )
    context = {
        "r": records_request,
        "items": items,
        "can_handle": permissions.can_handle(request.user),
        "hours": clock.hours_since_receipt(records_request),
        "state": clock.state(records_request),
        "due": clock.due_at(records_request) if records_request.is_open else None,
        "handouts": list(records_request.handouts.all()),
        "decision": decision,
        "appeals": list(records_request.appeals.all()),
        "pauses": list(records_request.pauses.select_related("by")),
        "add_form": AddDocumentForm(),
        "assess_forms": {item.pk: AssessForm(prefix=f"a{item.pk}") for item in items},
        "pause_form": PauseForm(),
        "handout_form": HandOutForm(),
        "decision_form": DecisionForm(
            delegations=decisions.active_delegations(records_request.administration)
        ),
        "sent_form": SentForm(),
        "appeal_form": AppealForm(),
        "history": records_request.history.select_related("history_user").order_by("history_date"),
    }
    context.update(forms)
    for item in items:
        item.assess_form = context["assess_forms"][item.pk]
    return context


@login_required
@require_safe
def detail(request, pk: int):
    records_request = permissions.get_request_for_user(request.user, pk)
    return _private(
        render(request, "archive/requests/detail.html", _detail_context(request, records_request))
    )


def _handled(request, pk: int):
    records_request = permissions.get_request_for_user(request.user, pk)
    _require(permissions.can_handle(request.user))
    return records_request


def _refused(request, records_request, error: ServiceError, **forms):
    for form in forms.values():
        add_to_form(form, error)
    if not forms:
        messages.error(request, error.message)
    context = _detail_context(request, records_request, **forms)
    return render(request, "archive/requests/detail.html", context, status=400)


@login_required
@require_POST
def act(request, pk: int, action: str):
    """The simple moves of the request page: take, pause, resume, close."""
    records_request = _handled(request, pk)
    form = PauseForm(request.POST) if action == "pause" else None
    try:
        if action == "take":
            services.take(actor=request.user, request=records_request)
            done = _("Begäran är registrerad i diariet och tilldelad dig.")
        elif action == "pause":
            assert form is not None  # type narrowing of an invariant  # nosec B101
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.pause(actor=request.user, request=records_request, reason=reason)
            done = _("Klockan är stoppad.")
        elif action == "resume":
            services.resume(actor=request.user, request=records_request)
            done = _("Klockan går igen.")
        elif action in ("threat", "no-threat"):
            services.mark_threat(
                actor=request.user, request=records_request, threat=action == "threat"
            )
            done = _("Markeringen om hot är sparad.")
        elif action == "close":
            services.close(actor=request.user, request=records_request)
            done = _("Ärendet är avslutat.")
        else:
            raise Http404
    except ServiceError as error:
        if form is not None:
            return _refused(request, records_request, error, pause_form=form)
        return _refused(request, records_request, error)
    messages.success(request, done)
    return redirect("archive:request_detail", pk=pk)


@login_required
@require_POST
def add_document(request, pk: int):
    records_request = _handled(request, pk)
    form = AddDocumentForm(request.POST)
    if form.is_valid():
        try:
            services.add_document(actor=request.user, request=records_request, **form.cleaned_data)
        except ServiceError as error:
            return _refused(request, records_request, error, add_form=form)
        messages.success(request, _("Handlingen är tillagd."))
        return redirect("archive:request_detail", pk=pk)
    return _refused(request, records_request, ServiceError(_("Kontrollera fälten.")), add_form=form)


def _item(request, item_pk: int) -> RequestedDocument:
    item = get_object_or_404(RequestedDocument.objects.select_related("document__case"), pk=item_pk)
    permissions.get_request_for_user(request.user, item.request_id)
    _require(permissions.can_handle(request.user))
    return item


@login_required
@require_POST
def assess(request, item_pk: int):
    item = _item(request, item_pk)
    form = AssessForm(request.POST, prefix=f"a{item.pk}")
    if form.is_valid():
        try:
            services.assess(actor=request.user, item=item, **form.cleaned_data)
        except ServiceError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _("Prövningen är sparad."))
            return redirect("archive:request_detail", pk=item.request_id)
    context = _detail_context(request, item.request)
    for listed in context["items"]:
        if listed.pk == item.pk:
            listed.assess_form = form
    return render(request, "archive/requests/detail.html", context, status=400)


@login_required
@GET_POST
def mask(request, item_pk: int):
    """Mark what is masked: a string (all pages) or a region of a page."""
    item = _item(request, item_pk)
    string_form = StringMaskForm(prefix="s")
    region_form = RegionMaskForm(prefix="r")
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind")
        try:
            if kind == "region":
                region_form = RegionMaskForm(request.POST, prefix="r")
                if not region_form.is_valid():
                    raise ServiceError(_("Kontrollera fälten."))
                data = region_form.cleaned_data
                services.mask_region(
                    actor=request.user,
                    item=item,
                    page=data["page"],
                    left=data["left"] / 100,
                    top=data["top"] / 100,
                    width=data["width"] / 100,
                    height=data["height"] / 100,
                    provision=data["provision"],
                )
            else:
                string_form = StringMaskForm(request.POST, prefix="s")
                if not string_form.is_valid():
                    raise ServiceError(_("Kontrollera fälten."))
                services.mask_string(actor=request.user, item=item, **string_form.cleaned_data)
        except ServiceError as error:
            add_to_form(region_form if kind == "region" else string_form, error)
            status = 400
        else:
            messages.success(request, _("Maskeringen är sparad."))
            return redirect("archive:request_mask", item_pk=item.pk)
    stored = masking.pdf_file(item.document) if item.document else None
    masks = list(item.masks.select_related("masked_by"))
    context = {
        "item": item,
        "r": item.request,
        "string_form": string_form,
        "region_form": region_form,
        "masks": masks,
        "pages": range(1, masking.page_count(stored) + 1) if stored else [],
        "lines": None
        if stored
        else masking.text_lines(item.document, masking.mask_set(masks).strings)
        if item.document
        else [],
    }
    return _private(render(request, "archive/requests/mask.html", context, status=status))


@login_required
@require_safe
def page_image(request, item_pk: int, page: int):
    """A page of the document with the masks so far, as the registrar sees it."""
    item = _item(request, item_pk)
    stored = masking.pdf_file(item.document) if item.document else None
    if stored is None or not 1 <= page <= masking.page_count(stored):
        raise Http404
    png = masking.render_page(stored, page, masking.mask_set(item.masks.all()))
    return _private(HttpResponse(png, content_type="image/png"))


@login_required
@require_POST
def hand_out(request, pk: int):
    records_request = _handled(request, pk)
    form = HandOutForm(request.POST)
    form.is_valid()
    try:
        handout, token = services.hand_out(
            actor=request.user,
            request=records_request,
            visit_note=form.cleaned_data.get("visit_note", ""),
        )
    except ServiceError as error:
        return _refused(request, records_request, error, handout_form=form)
    if handout.pdf:
        url = request.build_absolute_uri(reverse("request_link_download", args=[token]))
        mail.send_handout_link(records_request, url)
    messages.success(request, _("Beslutet om utlämnande är registrerat."))
    return redirect("archive:request_detail", pk=pk)


@login_required
@require_safe
def handout_pdf(request, pk: int):
    handout = get_object_or_404(HandOut.objects.exclude(pdf=""), pk=pk)
    permissions.get_request_for_user(request.user, handout.request_id)
    return _private(
        FileResponse(handout.pdf.open("rb"), content_type="application/pdf", filename="kopia.pdf")
    )


@login_required
@require_safe
def handout_print(request, pk: int):
    """The print view for a hand-out by post: address, contents and the
    invoice basis by the taxa."""
    handout = get_object_or_404(HandOut.objects.select_related("request__case"), pk=pk)
    permissions.get_request_for_user(request.user, handout.request_id)
    context = {"h": handout, "r": handout.request, "fees": services.current_fees()}
    return _private(render(request, "archive/requests/print.html", context))


@login_required
@require_POST
def decide(request, pk: int):
    records_request = permissions.get_request_for_user(request.user, pk)
    _require(
        permissions.can_handle(request.user)
        or permissions.can_decide(request.user, records_request)
    )
    form = DecisionForm(
        request.POST, delegations=decisions.active_delegations(records_request.administration)
    )
    if form.is_valid():
        try:
            decisions.decide(actor=request.user, request=records_request, **form.cleaned_data)
        except ServiceError as error:
            return _refused(request, records_request, error, decision_form=form)
        messages.success(request, _("Beslutet är fattat och registrerat i diariet."))
        return redirect("archive:request_detail", pk=pk)
    return _refused(
        request, records_request, ServiceError(_("Kontrollera fälten.")), decision_form=form
    )


@login_required
@require_safe
def decision_pdf(request, pk: int):
    records_request = permissions.get_request_for_user(request.user, pk)
    decision = get_object_or_404(Decision, request=records_request)
    return _private(
        FileResponse(decision.pdf.open("rb"), content_type="application/pdf", filename="beslut.pdf")
    )


@login_required
@require_POST
def decision_sent(request, pk: int):
    records_request = _handled(request, pk)
    decision = get_object_or_404(Decision, request=records_request)
    form = SentForm(request.POST)
    if form.is_valid():
        try:
            decisions.mark_sent(actor=request.user, decision=decision, **form.cleaned_data)
        except ServiceError as error:
            return _refused(request, records_request, error, sent_form=form)
        messages.success(request, _("Sändningsdatumet är registrerat."))
        return redirect("archive:request_detail", pk=pk)
    return _refused(request, records_request, ServiceError(_("Ange ett datum.")), sent_form=form)


@login_required
@GET_POST
def delegations(request):
    """The delegation list per administration, kept by the registrar and the
    information officer."""
    _require(
        permissions.can_handle(request.user) or request.user.has_perm("archive.add_delegation")
    )
    form = DelegationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("end"):
                found = get_object_or_404(Delegation, pk=request.POST["end"])
                decisions.delegation_end(actor=request.user, delegation=found)
                messages.success(request, _("Delegationen är avslutad."))
                return redirect("archive:request_delegations")
            if form.is_valid():
                decisions.delegation_add(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Delegationen är tillagd."))
                return redirect("archive:request_delegations")
            status = 400
        except ServiceError as error:
            add_to_form(form, error)
            status = 400
    rows = Delegation.objects.select_related("administration", "user").filter(ended_on__isnull=True)
    return render(
        request, "archive/requests/delegations.html", {"form": form, "rows": rows}, status=status
    )
