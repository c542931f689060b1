"""Webhook intake, an account's timeline, a captured object, and logging a
moderation action from it. Thin: rules are in services, ties and permissions."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseForbidden, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.middleware import policy_gate_response
from moderation import permissions as moderation_perms
from moderation import services as moderation_services
from moderation.capture import selectors, services, ties
from moderation.capture.forms import CapturedActionForm, MarkQuestionForm, TimelineDayForm
from moderation.capture.permissions import (
    can_act_on_capture,
    meta_handshake_ok,
    meta_signature_ok,
)
from moderation.capture.tasks import request_drain
from nora_social.core.errors import ServiceError, add_to_form

META_PLATFORMS = {"meta", "facebook", "instagram"}
PAGE_SIZE = 50


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request, platform: str):
    """Meta's subscription handshake (GET) and deliveries (POST). A delivery is
    verified, stored durably (one committed INSERT), then acknowledged;
    processing is a drain task, queued at most once for a burst."""
    if platform not in META_PLATFORMS:
        raise Http404
    if request.method == "GET":
        if meta_handshake_ok(
            request.GET.get("hub.mode", ""), request.GET.get("hub.verify_token", "")
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden("")
    body = request.body
    if not meta_signature_ok(body, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponseForbidden("")
    try:
        services.intake_meta(body)
    except ValueError:
        return HttpResponse(status=400)
    transaction.on_commit(request_drain)
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


def timeline_arguments(params: QueryDict) -> tuple[dict[str, Any], TimelineDayForm, bool]:
    """What a timeline URL asks for, as ``selectors.timeline_page``'s arguments
    (``datum``: that day and before, ``aldst``: the oldest page, ``fore``: older
    than a key, ``efter``: newer than a key; none: the newest page), with the
    date form and whether a page link could not be read (then: the newest)."""
    day_form = TimelineDayForm(params if "datum" in params else None)
    if day_form.is_bound and day_form.is_valid() and day_form.cleaned_data["datum"]:
        return {"day": day_form.cleaned_data["datum"]}, day_form, False
    if "aldst" in params:
        return {"oldest": True}, day_form, False
    for param, argument in (("fore", "older_than"), ("efter", "newer_than")):
        if param in params:
            key = selectors.TimelineKey.parse(params.get(param) or "")
            return ({} if key is None else {argument: key}), day_form, key is None
    return {}, day_form, False


@login_required
@require_safe
def timeline(request, pk: int):
    """Newest first, a page at a time by key (``timeline_arguments``)."""
    account = moderation_perms.get_account_for_log(request.user, pk)
    where, day_form, unreadable = timeline_arguments(request.GET)
    if unreadable:
        messages.warning(
            request, _("Länken till sidan gick inte att läsa. Här visas det senast hämtade.")
        )
    page = selectors.timeline_page(account.pk, per_page=PAGE_SIZE, **where)
    return render(
        request,
        "moderation/capture/timeline.html",
        {
            "account": account,
            "page": page,
            "day_form": day_form,
            "day": where.get("day"),
            "may_act": can_act_on_capture(request.user, account),
        },
    )


def _captured_or_404(request, pk: int, captured_pk: int, *, write: bool = False):
    account = moderation_perms.get_account_for_log(request.user, pk, write=write)
    captured = selectors.captured_for_account(account.pk, captured_pk)
    if captured is None:
        raise Http404
    return account, captured


@login_required
@require_safe
def captured_detail(request, pk: int, captured_pk: int):
    account, captured = _captured_or_404(request, pk, captured_pk)
    return render(
        request,
        "moderation/capture/captured_detail.html",
        {
            "account": account,
            "captured": captured,
            "versions": list(captured.versions.all()),
            "evidence": list(captured.evidence.all()),
            "may_act": can_act_on_capture(request.user, account),
            "question": getattr(captured, "question_link", None),
            "mark_form": MarkQuestionForm(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def captured_action(request, pk: int, captured_pk: int):
    account, captured = _captured_or_404(request, pk, captured_pk, write=True)
    if (gate := policy_gate_response(request)) is not None:
        return gate
    content = ties.captured_content_for_action(captured)
    form = CapturedActionForm(request.POST or None, captured_content=content)
    if request.method == "POST" and form.is_valid():
        try:
            record = ties.action_log_from_capture(
                captured_id=captured.pk, actor=request.user, data=form.action_data()
            )
        except (ServiceError, moderation_services.ModerationError) as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Åtgärden är loggad med det hämtade innehållet som underlag.")
            )
            return redirect("moderation:action_detail", pk=record.pk)
    return render(
        request,
        "moderation/capture/captured_action.html",
        {"account": account, "captured": captured, "form": form, "content": content},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def captured_mark_question(request, pk: int, captured_pk: int):
    """The staff flag a captured comment as a question the heuristic missed."""
    account, captured = _captured_or_404(request, pk, captured_pk, write=True)
    form = MarkQuestionForm(request.POST)
    version = selectors.latest(captured)
    content = getattr(version, "content", None) if version else None
    if form.is_valid() and content is not None and not captured.own:
        question = ties.question_from_capture(captured, content)
        if question is not None:
            messages.success(request, _("Frågan är registrerad och klockan går från hämtningen."))
            return redirect("moderation:question_detail", pk=question.pk)
    messages.error(request, _("Innehållet kunde inte registreras som en fråga."))
    return redirect("moderation:captured_detail", pk=account.pk, captured_pk=captured.pk)
