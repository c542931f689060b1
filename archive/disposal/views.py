"""Pages for retention decisions, disposal runs, holds, purges and the archive
export. Thin: ``archive.disposal`` and ``archive.export`` decide and write.

The registrar records decisions, places and lifts holds, previews and confirms
disposal, proposes purges and exports; the security coordinator confirms or
refuses a purge. Anyone else gets 403, a missing object 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Administration
from archive import disposal, export
from archive.models import DisposableType, DisposalEntry, Hold, PurgeEntry, RetentionDecision
from archive.services import ArchiveError
from channels_registry.models import SocialAccount
from nora_social.core.fields import IdListField

GET_POST = require_http_methods(["GET", "HEAD", "POST"])
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _account_choice(required: bool, label) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label=label,
        queryset=SocialAccount.objects.select_related("platform").order_by("display_name"),
        required=required,
    )
    # Django reads the label function per instance; the stubs see only the method.
    field.label_from_instance = lambda a: f"{a.display_name} ({a.platform.name})"  # type: ignore[method-assign,assignment]
    return field


def _add_errors(form: forms.Form, error: ArchiveError) -> None:
    for name, reasons in error.errors.items():
        for reason in reasons:
            form.add_error(name if name in form.fields else None, reason)
    if not error.errors:
        form.add_error(None, error.message)


# --- Forms -------------------------------------------------------------------------


class DecisionForm(forms.Form):
    record_type = forms.ChoiceField(
        label=gettext_lazy("Slags handling"), choices=DisposableType.choices
    )
    rule = forms.ChoiceField(label=gettext_lazy("Beslut"), choices=RetentionDecision.Rule.choices)
    years = forms.IntegerField(
        label=gettext_lazy("Antal år"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=gettext_lazy("Bara när handlingarna gallras efter ett antal år."),
    )
    decided_by_body = forms.CharField(label=gettext_lazy("Beslutande organ"), max_length=200)
    decided_on = forms.DateField(label=gettext_lazy("Beslutsdatum"), widget=DATE)
    plan_paragraph = forms.CharField(
        label=gettext_lazy("Punkt i dokumenthanteringsplanen"), max_length=100
    )
    decision_reference = forms.CharField(
        label=gettext_lazy("Beslutets diarienummer"), max_length=50, required=False
    )


class PreviewConfirmForm(forms.Form):
    """The ids the preview listed, posted back with the confirmation."""

    record = IdListField(required=False)


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Skäl"), choices=Hold.Kind.choices)
    reference = forms.CharField(
        label=gettext_lazy("Diarienummer för begäran eller överklagandet"), max_length=100
    )
    account = _account_choice(False, gettext_lazy("Konto (stoppar allt på kontot)"))
    record_type = forms.ChoiceField(
        label=gettext_lazy("Eller en enskild post: slags handling"),
        choices=[("", "—"), *DisposableType.choices],
        required=False,
    )
    record_id = forms.IntegerField(
        label=gettext_lazy("Postens nummer"), min_value=1, required=False
    )
    note = forms.CharField(label=gettext_lazy("Kommentar"), max_length=300, required=False)


class PurgeForm(forms.Form):
    record_type = forms.ChoiceField(
        label=gettext_lazy("Slags handling"), choices=DisposableType.choices
    )
    record_id = forms.IntegerField(label=gettext_lazy("Postens nummer"), min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Skäl"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Varför materialet inte får bevaras (felaktigt uppladdat, brottsligt att inneha). "
            "Skriv inte av innehållet."
        ),
    )


class PurgeDecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Kommentar (krävs vid avslag)"), max_length=300, required=False
    )


class ExportForm(forms.Form):
    administration = forms.ModelChoiceField(
        label=gettext_lazy("Förvaltning"),
        queryset=Administration.objects.order_by("name"),
        required=False,
    )
    account = _account_choice(False, gettext_lazy("Eller ett konto"))
    year = forms.IntegerField(
        label=gettext_lazy("År (tomt för alla år)"), min_value=2000, max_value=2100, required=False
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not data.get("administration") and not data.get("account"):
            raise forms.ValidationError(_("Välj en förvaltning eller ett konto."))
        if data.get("administration") and data.get("account"):
            raise forms.ValidationError(_("Välj antingen en förvaltning eller ett konto."))
        return data


# --- Retention and disposal ------------------------------------------------------


@login_required
@require_safe
def retention_index(request):
    _require(disposal.can_dispose(request.user))
    return render(
        request,
        "archive/retention_index.html",
        {
            "decisions": RetentionDecision.objects.select_related("recorded_by"),
            "holds": disposal.active_holds().select_related("placed_by"),
            "entries": DisposalEntry.objects.select_related("decision", "performed_by")[:50],
        },
    )


@login_required
@GET_POST
def decision_create(request):
    _require(disposal.can_dispose(request.user))
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                decision = disposal.decision_record(
                    actor=request.user, data=disposal.DecisionData(**form.cleaned_data)
                )
            except ArchiveError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Gallringsbeslutet är registrerat."))
                return redirect("archive:disposal_preview", pk=decision.pk)
        return render(request, "archive/retention_form.html", {"form": form}, status=400)
    return render(request, "archive/retention_form.html", {"form": form})


@login_required
@GET_POST
def disposal_preview(request, pk: int):
    """What a run under the decision would remove; the registrar confirms here."""
    _require(disposal.can_dispose(request.user))
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
    preview = disposal.disposal_preview(decision=decision)
    return render(
        request,
        "archive/disposal_preview.html",
        {"decision": decision, "preview": preview},
        status=status,
    )


@login_required
@require_safe
def disposal_detail(request, pk: int):
    _require(disposal.can_dispose(request.user))
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
    _require(disposal.can_dispose(request.user))
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
                _add_errors(form, error)
            else:
                messages.success(request, _("Gallringsstoppet är registrerat."))
                return redirect("archive:retention_index")
        return render(request, "archive/retention_hold_form.html", {"form": form}, status=400)
    return render(request, "archive/retention_hold_form.html", {"form": form})


@login_required
@require_POST
def hold_lift(request, pk: int):
    _require(disposal.can_dispose(request.user))
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
    _require(disposal.can_see_purges(request.user))
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
            "can_propose": disposal.can_propose_purge(request.user),
            "can_confirm": disposal.can_confirm_purge(request.user),
            "decision_form": PurgeDecisionForm(),
        },
    )


@login_required
@GET_POST
def purge_propose(request):
    _require(disposal.can_propose_purge(request.user))
    form = PurgeForm(request.POST if request.method == "POST" else request.GET or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                disposal.purge_propose(actor=request.user, **form.cleaned_data)
            except ArchiveError as error:
                _add_errors(form, error)
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
    _require(disposal.can_confirm_purge(request.user))
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
                "can_propose": disposal.can_propose_purge(request.user),
                "can_confirm": True,
                "decision_form": form,
            },
            status=400,
        )
    return redirect("archive:purge_index")


# --- Export ------------------------------------------------------------------------


@login_required
@require_safe
def export_package(request):
    """The form, or with a valid choice the zip for the archive authority."""
    _require(export.can_export(request.user))
    form = ExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        scope = export.Scope(
            administration=form.cleaned_data["administration"],
            account=form.cleaned_data["account"],
            year=form.cleaned_data["year"],
        )
        package = export.build_package(scope=scope, actor=request.user)
        stamp = timezone.localdate().isoformat()
        response = FileResponse(
            package,
            as_attachment=True,
            filename=f"arkivexport-{scope.slug}-{stamp}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "archive/export_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
