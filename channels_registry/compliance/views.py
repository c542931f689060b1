"""The compliance pages: the information officer's dashboard, the findings list
(each person sees the findings of the accounts they may see) and the health page
with the dead man's switch."""

import datetime
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.permissions import can_publish_policy
from accounts.selectors import current_policy
from channels_registry.compliance import selectors as compliance_selectors
from channels_registry.compliance.engine import last_full_sweep, registered_rules
from channels_registry.compliance.links import dashboard_links_for
from channels_registry.compliance.permissions import can_view_overview

logger = logging.getLogger(__name__)

SWEEP_MAX_AGE = datetime.timedelta(hours=25)
OK, WARNING, ERROR, NOT_USED = "ok", "warning", "error", "not_used"


def _require_overview(user) -> None:
    if not can_view_overview(user):
        raise PermissionDenied


@login_required
@require_safe
def findings_dashboard(request):
    """§3, §10: the information officer sees the whole municipality's state."""
    _require_overview(request.user)
    context = compliance_selectors.dashboard()
    # Until the policy is published here nobody is asked to acknowledge it (§12).
    context["policy_missing"] = current_policy() is None
    context["may_publish_policy"] = can_publish_policy(request.user)
    context["links"] = dashboard_links_for(request.user)
    return render(request, "channels_registry/dashboard.html", context)


@login_required
@require_safe
def findings_list(request):
    """Open (or resolved) findings on the accounts this person may see."""
    qs = compliance_selectors.findings_visible_to(request.user)
    state = request.GET.get("status", "open")
    if state not in ("open", "resolved"):
        messages.error(request, _("Okänt urval av status; visar öppna brister."))
        state = "open"
    qs = (
        qs.filter(resolved_at__isnull=True).order_by("account__display_name", "opened_at")
        if state == "open"
        else qs.filter(resolved_at__isnull=False).order_by("-resolved_at")
    )
    codes = {r.code: r.title for r in registered_rules()}
    rule_code = request.GET.get("regel", "")
    if rule_code:
        if rule_code in codes:
            qs = qs.filter(rule_code=rule_code)
        else:
            messages.error(request, _("Okänd regel; visar alla regler."))
            rule_code = ""
    account_id = request.GET.get("konto", "")
    if account_id:
        if account_id.isascii() and account_id.isdigit() and len(account_id) < 10:
            qs = qs.filter(account_id=int(account_id))
        else:
            messages.error(request, _("Ogiltigt konto i urvalet; visar alla konton."))
            account_id = ""
    page = Paginator(qs, 100).get_page(request.GET.get("sida"))
    for finding in page.object_list:
        finding.rule_title = codes.get(finding.rule_code, finding.rule_code)
    return render(
        request,
        "channels_registry/findings_list.html",
        {
            "page": page,
            "state": state,
            "rules": sorted(codes.items(), key=lambda kv: kv[1]),
            "rule_code": rule_code,
            "account_id": account_id,
        },
    )


# --- Health and the dead man's switch ----------------------------------------


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"state": OK, "detail": connection.vendor}
    except Exception:  # noqa: BLE001 - any database failure is the answer
        logger.exception("Health check: database")
        return {"state": ERROR, "detail": _("Databasen svarar inte.")}


def _check_redis() -> dict:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return {"state": NOT_USED, "detail": _("Kön ligger i filsystemet (utvecklingsläge).")}
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
        client.close()
        return {"state": OK, "detail": ""}
    except Exception:  # noqa: BLE001 - down, refused or timed out
        return {"state": ERROR, "detail": _("Redis svarar inte.")}


def _check_worker() -> dict:
    from nora_social.celery import app

    try:
        replies = app.control.ping(timeout=settings.HEALTH_WORKER_PING_MS / 1000)
    except Exception:  # noqa: BLE001 - the broker is down or cannot broadcast
        return {"state": ERROR, "detail": _("Kunde inte fråga Celery-arbetarna.")}
    if replies:
        return {"state": OK, "detail": _("%(n)s arbetare svarar.") % {"n": len(replies)}}
    return {"state": ERROR, "detail": _("Ingen Celery-arbetare svarar.")}


def _check_sweep(now: datetime.datetime) -> dict:
    run = last_full_sweep()
    if run is None:
        return {"state": WARNING, "detail": _("Ingen fullständig genomgång har körts."), "at": None}
    if now - run.finished_at > SWEEP_MAX_AGE:
        return {
            "state": WARNING,
            "detail": _("Ingen fullständig genomgång de senaste 25 timmarna."),
            "at": run.finished_at,
        }
    return {"state": OK, "detail": "", "at": run.finished_at}


def health_status() -> dict:
    now = timezone.now()
    checks = {
        "database": _check_database(),
        "redis": _check_redis(),
        "worker": _check_worker(),
        "sweep": _check_sweep(now),
    }
    states = {c["state"] for c in checks.values()}
    overall = ERROR if ERROR in states else WARNING if WARNING in states else OK
    return {"overall": overall, "checks": checks, "now": now}


@login_required
@require_safe
@never_cache
def health(request):
    _require_overview(request.user)
    status = health_status()
    labels = {
        "database": _("Databasen"),
        "redis": _("Redis (kön)"),
        "worker": _("Celery-arbetaren"),
        "sweep": _("Senaste fullständiga genomgång"),
    }
    rows = [{"name": labels[k], **v} for k, v in status["checks"].items()]
    return render(
        request,
        "channels_registry/health.html",
        {"status": status, "rows": rows},
        status=503 if status["overall"] == ERROR else 200,
    )


@require_safe
@never_cache
def health_text(request):
    """For monitoring: states only, no details; 503 when something is down."""
    status = health_status()
    lines = [f"status: {status['overall']}"]
    lines += [f"{name}: {check['state']}" for name, check in status["checks"].items()]
    return HttpResponse(
        "\n".join(lines) + "\n",
        content_type="text/plain; charset=utf-8",
        status=503 if status["overall"] == ERROR else 200,
    )
