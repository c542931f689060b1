"""Views for activity plans: thin; the rules are in services and permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.permissions import policy_refusal
from activity_plans import checks, copies, permissions, selectors, services
from activity_plans.forms import DecisionForm, PlanForm, WithdrawForm
from activity_plans.models import ActivityPlan
from nora_social.core.errors import add_to_form

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _require_plans(user) -> None:
    if not permissions.can_use_plans(user):
        raise PermissionDenied


@login_required
@require_safe
def plan_list(request):
    _require_plans(request.user)
    plans = list(permissions.plans_visible_to(request.user).order_by("status", "-created_at")[:500])
    return render(
        request,
        "activity_plans/plan_list.html",
        {
            "mine": [p for p in plans if p.author_id == request.user.pk],
            "others": [p for p in plans if p.author_id != request.user.pk],
            "can_create": permissions.can_create_plan(request.user),
        },
    )


@login_required
@require_safe
def queue(request):
    """The approver's queue: plans whose next decision is theirs."""
    if not permissions.may_approve_plans(request.user):
        raise PermissionDenied
    return render(
        request, "activity_plans/queue.html", {"plans": selectors.awaiting_for(request.user)}
    )


def _form_page(request, form, plan, status=200):
    facts = selectors.people_facts(plan) if plan is not None and plan.pk else []
    return render(
        request,
        "activity_plans/plan_form.html",
        {
            "form": form,
            "plan": plan,
            "people": facts,
            "unit": plan.unit if plan is not None else request.user.unit,
            "name_hints": selectors.name_problem_details(plan) if plan is not None else [],
        },
        status=status,
    )


class _RefusedSubmission(Exception):
    def __init__(self, error: services.PlanError) -> None:
        self.error = error


def _save_and_maybe_submit(request, form, plan):
    """Save the draft; with "Skicka in", save and submit in one transaction. A
    refused submission saves nothing (no new "Namnlös plan" draft, no half-saved
    edits): the form comes back with every problem on its field."""
    action = request.POST.get("action", "save")
    try:
        with transaction.atomic():
            if plan is None:
                saved = services.plan_create(
                    actor=request.user, values=form.values(), admins=form.admins()
                )
            else:
                saved = services.plan_update(
                    plan_id=plan.pk,
                    actor=request.user,
                    values=form.values(),
                    admins=form.admins(),
                )
            if action == "submit":
                try:
                    services.plan_submit(plan_id=saved.pk, actor=request.user)
                except services.PlanError as error:
                    raise _RefusedSubmission(error) from error
    except _RefusedSubmission as refused:
        if plan is not None:
            plan.refresh_from_db()
        add_to_form(form, refused.error)
        messages.error(request, refused.error.message)
        return _form_page(request, form, plan, status=400)
    except services.PlanError as error:
        messages.error(request, error.message)
        if plan is None:
            return redirect("activity_plans:plan_list")
        return redirect("activity_plans:plan_detail", pk=plan.pk)
    if action == "submit":
        messages.success(request, _("Planen är inskickad till din chef för godkännande."))
        return redirect("activity_plans:plan_detail", pk=saved.pk)
    messages.success(request, _("Utkastet är sparat. Du kan fortsätta senare."))
    return redirect("activity_plans:plan_edit", pk=saved.pk)


@login_required
@GET_POST
def plan_create(request):
    if not permissions.can_create_plan(request.user):
        raise PermissionDenied
    if request.user.unit_id is None:
        messages.error(
            request,
            _("Du är inte kopplad till någon enhet. Be din chef att registrera din enhet."),
        )
        return redirect("activity_plans:plan_list")
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            return _save_and_maybe_submit(request, form, None)
        return _form_page(request, form, None, status=400)
    return _form_page(request, form, None)


@login_required
@GET_POST
def plan_edit(request, pk: int):
    plan = permissions.get_plan_for_user(request.user, pk)
    if plan.author_id != request.user.pk:
        raise PermissionDenied
    if plan.status != ActivityPlan.Status.DRAFT:
        messages.error(
            request,
            _("Planen är inskickad och kan inte ändras. Den kan återkallas eller återvisas."),
        )
        return redirect("activity_plans:plan_detail", pk=plan.pk)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST":
        if form.is_valid():
            return _save_and_maybe_submit(request, form, plan)
        return _form_page(request, form, plan, status=400)
    return _form_page(request, form, plan)


def _detail_context(request, plan, decision_form=None):
    user = request.user
    approver = selectors.current_approver(plan) if plan.is_pending() else None
    return {
        "plan": plan,
        "content": selectors.plan_content(plan),
        "people": selectors.people_facts(plan),
        "decisions": selectors.decisions_of(plan),
        "revisions": selectors.revisions_of(plan),
        "changes": selectors.draft_changes(plan) if plan.status == "draft" else [],
        "approver": approver,
        "may_decide": approver is not None and approver.pk == user.pk,
        "policy_refusal": policy_refusal(user)
        if approver is not None and approver.pk == user.pk
        else None,
        "may_edit": permissions.can_edit_plan(user, plan),
        "may_withdraw": permissions.can_withdraw_plan(user, plan),
        "may_delete": permissions.can_delete_draft(user, plan),
        "may_amend": permissions.can_amend(user, plan),
        "may_retry_pdf": permissions.can_retry_plan_pdf(user, plan),
        "decision_form": decision_form or DecisionForm(),
        "withdraw_form": WithdrawForm(),
        "problems": checks.submission_problems(plan)
        if permissions.can_edit_plan(user, plan)
        else {},
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_delete(request, pk: int):
    """The author deletes a draft never submitted, after confirming."""
    plan = permissions.get_plan_for_user(request.user, pk)
    if not permissions.can_delete_draft(request.user, plan):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.plan_delete_draft(plan_id=plan.pk, actor=request.user)
        except services.PlanError as error:
            messages.error(request, error.message)
            return redirect("activity_plans:plan_detail", pk=plan.pk)
        messages.success(request, _("Utkastet är raderat."))
        return redirect("activity_plans:plan_list")
    return render(request, "activity_plans/plan_delete.html", {"plan": plan})


@login_required
@require_safe
def plan_detail(request, pk: int):
    plan = permissions.get_plan_for_user(request.user, pk)
    return render(request, "activity_plans/plan_detail.html", _detail_context(request, plan))


@login_required
@require_POST
def plan_decide(request, pk: int):
    plan = permissions.get_plan_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    comment = form.cleaned_data.get("comment", "")
    try:
        if request.POST.get("decision") == "approve":
            plan = services.plan_approve(plan_id=plan.pk, actor=request.user, comment=comment)
            messages.success(request, _("Du har godkänt planen."))
        elif request.POST.get("decision") == "reject":
            plan = services.plan_reject(plan_id=plan.pk, actor=request.user, comment=comment)
            messages.success(
                request, _("Planen är återvisad till %(author)s.") % {"author": plan.author}
            )
        else:
            raise services.PlanError(_("Välj att godkänna eller återvisa planen."))
    except services.PlanError as error:
        add_to_form(form, error)
        messages.error(request, error.message)
        plan.refresh_from_db()
        return render(
            request,
            "activity_plans/plan_detail.html",
            _detail_context(request, plan, decision_form=form),
            status=400,
        )
    return redirect("activity_plans:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_withdraw(request, pk: int):
    plan = permissions.get_plan_for_user(request.user, pk)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.plan_withdraw(
            plan_id=plan.pk, actor=request.user, comment=form.cleaned_data.get("comment", "")
        )
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Planen är återkallad."))
    return redirect("activity_plans:plan_detail", pk=plan.pk)


@login_required
@require_safe
def plan_revision(request, pk: int, number: int):
    plan = permissions.get_plan_for_user(request.user, pk)
    revision, changes = selectors.revision_with_diff(plan, number)
    if revision is None:
        raise Http404
    return render(
        request,
        "activity_plans/plan_revision.html",
        {"plan": plan, "revision": revision, "changes": changes},
    )


@login_required
@require_safe
def plan_pdf(request, pk: int):
    """The approved plan, only to those who may see it; MEDIA_ROOT is not served."""
    plan = permissions.get_plan_for_user(request.user, pk)
    if not plan.pdf:
        raise Http404
    response = FileResponse(
        plan.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"aktivitetsplan-{plan.pk}-version-{plan.revision}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def plan_pdf_retry(request, pk: int):
    """Queue the PDF of an approved plan again (the finding "Aktivitetsplanens PDF
    saknas"); the task leaves a plan that has its PDF alone."""
    plan = permissions.get_plan_for_user(request.user, pk)
    if not permissions.can_retry_plan_pdf(request.user, plan):
        raise PermissionDenied
    copies.queue_plan_pdf(plan.pk, request.user.pk)
    messages.success(request, _("PDF:en skapas igen. Ladda om sidan om en stund."))
    return redirect("activity_plans:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_for_account(request, account_pk: int):
    """Start an amendment (new owner, purpose or platform), or the plan of a
    pre-existing account."""
    from channels_registry.permissions import get_account_for_user

    account = get_account_for_user(request.user, account_pk)
    try:
        plan = services.plan_start_for_account(account_id=account.pk, actor=request.user)
    except services.PlanError as error:
        messages.error(request, error.message)
        return redirect("activity_plans:plan_list")
    messages.success(request, _("En ändrad aktivitetsplan är skapad som utkast."))
    return redirect("activity_plans:plan_edit", pk=plan.pk)
