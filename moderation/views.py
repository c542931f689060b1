"""Thin views: fetch through the permission helpers (404 when the object may not
be seen, 403 when the role may not act), call a service, show the result."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.middleware import policy_gate_response
from moderation import permissions as perms
from moderation import questions, selectors, services
from moderation.categories import Category, ground_text, is_legal_duty
from moderation.forms import (
    ActionCorrectionForm,
    ActionForm,
    AnswerForm,
    CorrectionForm,
    ForwardForm,
    PoliceReportForm,
    PostForm,
    QuestionForm,
    WithdrawForm,
)
from moderation.models import Escalation
from nora_social.core.errors import add_to_form

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


@login_required
@require_safe
def index(request):
    user = request.user
    return render(
        request,
        "moderation/index.html",
        {
            "accounts": selectors.accounts_for_moderation(user),
            "queue_count": selectors.queue_for(user).count(),
            "overdue_count": selectors.overdue_for(user).count(),
        },
    )


@login_required
@require_safe
def account_log(request, pk: int):
    account = perms.get_account_for_log(request.user, pk)
    return render(
        request,
        "moderation/account_log.html",
        {
            "account": account,
            "posts": selectors.posts_for(account)[:100],
            "actions": selectors.actions_for(account)[:100],
            "questions": selectors.questions_for(account).order_by("-received_at")[:100],
            "may_log": perms.can_log(request.user, account),
        },
    )


# --- Posts ---------------------------------------------------------------------


@login_required
@GET_POST
def post_create(request, pk: int):
    account = perms.get_account_for_log(request.user, pk, write=True)
    form = PostForm(request.POST or None, account=account, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_log(account_id=account.pk, actor=request.user, **form.cleaned_data)
        except services.ModerationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Inlägget är loggat."))
            return redirect("moderation:post_detail", pk=post.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "moderation/post_form.html", {"form": form, "account": account}, status=status
    )


def _post_for(request, pk: int, *, write: bool = False):
    post = selectors.post_detail(pk)
    if post is None or not perms.can_view_log(request.user, post.account):
        raise Http404
    if write and not perms.can_log(request.user, post.account):
        raise PermissionDenied
    return post


@login_required
@require_safe
def post_detail(request, pk: int):
    post = _post_for(request, pk)
    return render(
        request,
        "moderation/post_detail.html",
        {
            "post": post,
            "account": post.account,
            "corrections": post.corrections.all(),
            "removals": post.removals.all(),
            "may_log": perms.can_log(request.user, post.account),
        },
    )


@login_required
@GET_POST
def post_correct(request, pk: int):
    post = _post_for(request, pk, write=True)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_correct(post_id=post.pk, actor=request.user, **form.cleaned_data)
        except services.ModerationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Rättelsen är loggad och kopplad till inlägget."))
            return redirect("moderation:post_detail", pk=post.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "moderation/post_correct.html",
        {"form": form, "post": post, "account": post.account},
        status=status,
    )


@login_required
@GET_POST
def post_withdraw(request, pk: int):
    post = _post_for(request, pk, write=True)
    if (gate := policy_gate_response(request)) is not None:
        return gate
    form = WithdrawForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.post_withdraw(
                post_id=post.pk,
                actor=request.user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                screenshot=form.cleaned_data.get("screenshot"),
            )
        except services.ModerationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Inlägget är tillbakadraget och åtgärden loggad."))
            return redirect("moderation:action_detail", pk=record.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "moderation/post_withdraw.html",
        {"form": form, "post": post, "account": post.account},
        status=status,
    )


# --- Moderation actions ----------------------------------------------------------


@login_required
@GET_POST
def action_create(request, pk: int):
    account = perms.get_account_for_log(request.user, pk, write=True)
    if (gate := policy_gate_response(request)) is not None:
        return gate
    form = ActionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.action_log(
                account_id=account.pk,
                actor=request.user,
                data=form.action_data(),
                screenshot=form.cleaned_data.get("screenshot"),
            )
        except services.ModerationError as exc:
            add_to_form(form, exc)
        else:
            if is_legal_duty(record.category):
                messages.success(
                    request,
                    _(
                        "Åtgärden är loggad. Säkerhetssamordnaren och enhetens chef har fått "
                        "en eskalering (§5)."
                    ),
                )
            else:
                messages.success(request, _("Åtgärden är loggad."))
            return redirect("moderation:action_detail", pk=record.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "moderation/action_form.html",
        {"form": form, "account": account},
        status=status,
    )


@login_required
@require_safe
def action_detail(request, pk: int):
    record = perms.get_action_for_user(request.user, pk)
    escalation = Escalation.objects.filter(action=record).first()
    return render(
        request,
        "moderation/action_detail.html",
        {
            "record": record,
            "account": record.account,
            "ground": ground_text(record.category),
            "legal": is_legal_duty(record.category),
            "escalation": escalation,
            "superseded_by": getattr(record, "superseded_by", None),
            "may_correct": perms.can_log(request.user, record.account)
            and not hasattr(record, "superseded_by"),
            "may_view_account": perms.can_view_log(request.user, record.account),
        },
    )


@login_required
@GET_POST
def action_correct(request, pk: int):
    old = perms.get_action_for_user(request.user, pk)
    if not perms.can_log(request.user, old.account):
        raise PermissionDenied
    if (gate := policy_gate_response(request)) is not None:
        return gate
    form = ActionCorrectionForm(
        request.POST or None,
        request.FILES or None,
        initial=ActionCorrectionForm.initial_from(old),
    )
    form.has_kept_screenshot = bool(old.screenshot)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.action_log(
                account_id=old.account_id,
                actor=request.user,
                data=form.action_data(),
                screenshot=form.cleaned_data.get("screenshot"),
                supersedes_id=old.pk,
                correction_note=form.cleaned_data["correction_note"],
            )
        except services.ModerationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Rättelsen är loggad som en ny post; den tidigare finns kvar.")
            )
            return redirect("moderation:action_detail", pk=record.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "moderation/action_correct.html",
        {"form": form, "old": old, "account": old.account},
        status=status,
    )


@login_required
@require_safe
@never_cache
def action_screenshot(request, pk: int):
    """Screenshots live outside the web root and reach only those who may see
    the record."""
    record = perms.get_action_for_user(request.user, pk)
    if not record.screenshot:
        raise Http404
    try:
        handle = record.screenshot.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = record.screenshot.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=record.screenshot_type or "application/octet-stream",
        filename=f"skarmdump-{record.pk}.{extension}",
    )
    response["Content-Disposition"] = f'inline; filename="skarmdump-{record.pk}.{extension}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def action_list(request):
    category = request.GET.get("kategori", "")
    if category not in Category.values:
        category = ""
    page = Paginator(selectors.actions_visible_to(request.user, category=category), 50).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "moderation/action_list.html",
        {"page": page, "category": category, "categories": Category.choices},
    )


# --- Escalations ------------------------------------------------------------------


@login_required
@require_safe
def escalation_list(request):
    if not perms.can_use_escalation_list(request.user):
        raise PermissionDenied
    return render(
        request,
        "moderation/escalation_list.html",
        {"escalations": selectors.escalations_visible_to(request.user)[:200]},
    )


@login_required
@GET_POST
def escalation_detail(request, pk: int):
    escalation = perms.get_escalation_for_user(request.user, pk)
    may_record = (
        escalation.outcome == Escalation.Outcome.PENDING
        and perms.can_record_police_report(request.user, escalation)
    )
    form = PoliceReportForm(request.POST or None, actor=request.user) if may_record else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            c = form.cleaned_data
            try:
                services.police_report_record(
                    escalation_id=escalation.pk,
                    actor=request.user,
                    made=c["made"],
                    reported_by=c.get("reported_by"),
                    reported_on=c.get("reported_on"),
                    reference=c.get("reference") or "",
                    note=c.get("note") or "",
                )
            except services.ModerationError as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Beslutet om polisanmälan är registrerat."))
                return redirect("moderation:escalation_detail", pk=escalation.pk)
    record = escalation.action
    return render(
        request,
        "moderation/escalation_detail.html",
        {
            "escalation": escalation,
            "record": record,
            "account": record.account,
            "ground": ground_text(record.category),
            "notified": escalation.notified.all(),
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


# --- Questions ---------------------------------------------------------------------


@login_required
@GET_POST
def question_create(request, pk: int):
    account = perms.get_account_for_log(request.user, pk, write=True)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = questions.question_log(
                account_id=account.pk, actor=request.user, **form.cleaned_data
            )
        except services.ModerationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Frågan är loggad."))
            return redirect("moderation:question_detail", pk=question.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "moderation/question_form.html",
        {"form": form, "account": account},
        status=status,
    )


def _question_page(request, question, *, forward_form=None, answer_form=None, status=200):
    may_handle = perms.can_handle_question(request.user, question)
    open_ = question.status != question.Status.ANSWERED
    if may_handle and open_:
        forward_form = forward_form or ForwardForm(actor=request.user)
        answer_form = answer_form or AnswerForm()
    return render(
        request,
        "moderation/question_detail.html",
        {
            "question": question,
            "account": question.account,
            "overdue": question.is_overdue(),
            "forward_form": forward_form if may_handle and open_ else None,
            "answer_form": answer_form if may_handle and open_ else None,
            "may_view_account": perms.can_view_log(request.user, question.account),
        },
        status=status,
    )


@login_required
@require_safe
def question_detail(request, pk: int):
    return _question_page(request, perms.get_question_for_user(request.user, pk))


@login_required
@require_POST
def question_forward(request, pk: int):
    question = perms.get_question_for_user(request.user, pk, handle=True)
    form = ForwardForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            questions.question_forward(
                question_id=question.pk,
                actor=request.user,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
            )
        except services.ModerationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("Frågan är vidarebefordrad till %(name)s.") % {"name": form.cleaned_data["to"]},
            )
            return redirect("moderation:question_detail", pk=question.pk)
    return _question_page(request, question, forward_form=form, status=400)


@login_required
@require_POST
def question_answer(request, pk: int):
    question = perms.get_question_for_user(request.user, pk, handle=True)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            questions.question_answer(
                question_id=question.pk, actor=request.user, **form.cleaned_data
            )
        except services.ModerationError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Svaret är registrerat."))
            return redirect("moderation:question_detail", pk=question.pk)
    return _question_page(request, question, answer_form=form, status=400)


@login_required
@require_safe
def queue(request):
    return render(
        request, "moderation/queue.html", {"questions": selectors.queue_for(request.user)[:200]}
    )


@login_required
@require_safe
def overdue(request):
    return render(
        request,
        "moderation/overdue.html",
        {"questions": selectors.overdue_for(request.user)[:200]},
    )
