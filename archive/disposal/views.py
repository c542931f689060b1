"""Pages for retention decisions, disposal runs, holds and purges. Thin: the
services in this package decide.

The registrar records decisions, places and lifts holds, previews and confirms
disposal and proposes purges; the security coordinator confirms or refuses a
purge. Anyone else gets 403, a missing object 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from archive.disposal import permissions as disposal_permissions
from archive.disposal import selectors as disposal_selectors
from archive.disposal import services as disposal
from archive.disposal.forms import (
    DecisionForm,
    HoldForm,
    PreviewConfirmForm,
    PurgeDecisionForm,
    PurgeForm,
)
from archive.errors import ArchiveError
from archive.models import DisposalEntry, Hold, PurgeEntry, RetentionDecision
from nora_social.core.errors import add_to_form

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Retention and disposal ------------------------------------------------------


@login_required
@require_safe
def retention_index(request):
    _require(disposal_permissions.can_dispose(request.user))
    return render(
        request,
        "archive/retention_index.html",
        {
            "decisions": RetentionDecision.objects.select_related("recorded_by"),
            "holds": disposal_selectors.active_holds().select_related("placed_by"),
            "entries": DisposalEntry.objects.select_related("decision", "performed_by")[:50],
        },
    )


@login_required
@GET_POST
def decision_create(request):
    _require(disposal_permissions.can_dispose(request.user))
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                decision = disposal.decision_record(
                    actor=request.user, data=disposal.DecisionData(**form.cleaned_data)
                )
            except ArchiveError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Gallringsbeslutet är registrerat."))
                return redirect("archive:disposal_preview", pk=decision.pk)
        return render(request, "archive/retention_form.html", {"form": form}, status=400)
    return render(request, "archive/retention_form.html", {"form": form})


@login_required
@GET_POST
def disposal_preview(request, pk: int):
    """What a run under the decision would remove; the registrar confirms here."""
    _require(disposal_permissions.can_dispose(request.user))
    decision = get_object_or_404(RetentionDecision, pk=pk)
    status = 200
    if request.method == "POST":
        shown = PreviewConfirmForm(request.POST)
        expected = shown.cleaned_data["record"] if shown.is_valid() else []
        try:
            if not expected:
                raise ArchiveError(_("Förhandsvisningen listade inget att gallra."))
            entry = disposal.disposal_run(
                decision_id=decision.pk, actor=request.user, expected_ids=expected
            )
        except ArchiveError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(
                request,
                _("%(count)s handlingar är gallrade.") % {"count": entry.record_count},
            )
            if entry.kept_back:
                # Listed in the preview but still pointed to by a later record.
                messages.warning(
                    request,
                    _(
                        "%(count)s handlingar gallrades inte: en senare post hänvisar "
                        "fortfarande till dem, till exempel en rättelse. De kan gallras "
                        "när den posten också gallras."
                    )
                    % {"count": entry.kept_back},
                )
            return redirect("archive:disposal_detail", pk=entry.pk)
    preview = disposal_selectors.disposal_preview(decision=decision)
    return render(
        request,
        "archive/disposal_preview.html",
        {"decision": decision, "preview": preview},
        status=status,
    )


@login_required
@require_safe
def disposal_detail(request, pk: int):
    _require(disposal_permissions.can_dispose(request.user))
    entry = get_object_or_404(
        DisposalEntry.objects.select_related("decision", "performed_by"), pk=pk
    )
    return render(
        request,
        "archive/disposal_detail.html",
        {"entry": entry, "records": entry.records.all()},
    )


@login_required
@GET_POST
def hold_create(request):
    _require(disposal_permissions.can_dispose(request.user))
    form = HoldForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                disposal.hold_place(
                    actor=request.user,
                    kind=data["kind"],
                    reference=data["reference"],
                    note=data["note"],
                    account=data["account"],
                    record_type=data["record_type"],
                    record_id=data["record_id"],
                )
            except ArchiveError as error:
                add_to_form(form, error)
            else:
                messages.success(request, _("Gallringsstoppet är registrerat."))
                return redirect("archive:retention_index")
        return render(request, "archive/retention_hold_form.html", {"form": form}, status=400)
    return render(request, "archive/retention_hold_form.html", {"form": form})


@login_required
@require_POST
def hold_lift(request, pk: int):
    _require(disposal_permissions.can_dispose(request.user))
    get_object_or_404(Hold, pk=pk)
    try:
        disposal.hold_lift(hold_id=pk, actor=request.user)
    except ArchiveError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Gallringsstoppet är hävt."))
    return redirect("archive:retention_index")


# --- Purges ------------------------------------------------------------------------


@login_required
@require_safe
def purge_index(request):
    _require(disposal_permissions.can_see_purges(request.user))
    return render(
        request,
        "archive/purge_index.html",
        {
            "proposed": PurgeEntry.objects.filter(status=PurgeEntry.Status.PROPOSED).select_related(
                "proposed_by"
            ),
            "decided": PurgeEntry.objects.exclude(status=PurgeEntry.Status.PROPOSED).select_related(
                "proposed_by", "decided_by"
            )[:100],
            "can_propose": disposal_permissions.can_propose_purge(request.user),
            "can_confirm": disposal_permissions.can_confirm_purge(request.user),
            "decision_form": PurgeDecisionForm(),
        },
    )


@login_required
@GET_POST
def purge_propose(request):
    _require(disposal_permissions.can_propose_purge(request.user))
    form = PurgeForm(request.POST if request.method == "POST" else request.GET or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                disposal.purge_propose(actor=request.user, **form.cleaned_data)
            except ArchiveError as error:
                add_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("Förslaget om rensning är sparat. Säkerhetssamordnaren bekräftar det."),
                )
                return redirect("archive:purge_index")
        return render(request, "archive/purge_form.html", {"form": form}, status=400)
    if form.is_bound:  # prefilled from a link; not yet an attempt
        form = PurgeForm(initial=request.GET.dict())
    return render(request, "archive/purge_form.html", {"form": form})


@login_required
@require_POST
def purge_decide(request, pk: int):
    _require(disposal_permissions.can_confirm_purge(request.user))
    entry = get_object_or_404(PurgeEntry, pk=pk)
    form = PurgeDecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if request.POST.get("action") == "confirm":
            disposal.purge_confirm(purge_id=entry.pk, actor=request.user, note=note)
            messages.success(
                request, _("Materialet är rensat. Uppgifterna om rensningen finns kvar.")
            )
        elif request.POST.get("action") == "refuse":
            disposal.purge_refuse(purge_id=entry.pk, actor=request.user, note=note)
            messages.success(request, _("Förslaget är avslaget. Posten finns kvar."))
        else:
            raise ArchiveError(_("Välj att bekräfta eller avslå."))
    except ArchiveError as error:
        messages.error(request, error.message)
        return render(
            request,
            "archive/purge_index.html",
            {
                "proposed": PurgeEntry.objects.filter(
                    status=PurgeEntry.Status.PROPOSED
                ).select_related("proposed_by"),
                "decided": [],
                "can_propose": disposal_permissions.can_propose_purge(request.user),
                "can_confirm": True,
                "decision_form": form,
            },
            status=400,
        )
    return redirect("archive:purge_index")
