"""Guards around logging in and step-up: the login lockout page (django-axes),
the step-up lockout, and one-time use of TOTP codes.

Both lockouts are counted in the database, so every web process sees the same
count; nothing here lives in a per-process cache.
"""

import datetime
import hmac
from importlib import import_module

import pyotp
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone

from accounts.models import StepUpFailure, User

# pyotp's own tolerance for a phone clock that is a little off: one step either way.
TOTP_VALID_WINDOW = 1


def lockout_response(request, original_response=None, credentials=None):
    """django-axes ``AXES_LOCKOUT_CALLABLE``: a Swedish page with status 429 that
    says when the person may try again and whom to contact."""
    cool_off = get_cool_off(request) or datetime.timedelta(0)
    username = get_client_username(request, credentials) or ""
    attempts = AccessAttempt.objects.filter(username=username)
    ip_address = getattr(request, "axes_ip_address", None)
    if ip_address:
        attempts = attempts.filter(ip_address=ip_address)
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    retry_at = (last or timezone.now()) + cool_off
    return render(
        request,
        "accounts/lockout.html",
        {
            "retry_at": retry_at,
            "cool_off_minutes": int(cool_off.total_seconds() // 60),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "contact": settings.LOCKOUT_CONTACT,
        },
        # django-axes sets this default on the settings object at import.
        status=settings.AXES_HTTP_RESPONSE_CODE,  # type: ignore[misc]
    )


def _window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.STEP_UP_FAILURE_WINDOW_SECONDS)


def step_up_locked_until(user: User) -> datetime.datetime | None:
    """When step-up opens again for ``user``, or None if it is open now.

    Sliding window: locked while the window holds ``STEP_UP_FAILURE_LIMIT``
    failures; it opens when the oldest of the latest ones leaves the window."""
    limit = settings.STEP_UP_FAILURE_LIMIT
    now = timezone.now()
    recent = list(
        StepUpFailure.objects.filter(user=user, failed_at__gt=now - _window())
        .order_by("-failed_at")
        .values_list("failed_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    return recent[-1] + _window()


def step_up_failure_record(*, user: User) -> None:
    StepUpFailure.objects.create(user=user)
    # Rows older than the window never count again.
    StepUpFailure.objects.filter(user=user, failed_at__lte=timezone.now() - _window()).delete()


def step_up_failures_clear(*, user: User) -> None:
    StepUpFailure.objects.filter(user=user).delete()


def matching_step(secret: str, code: str, now: datetime.datetime) -> int | None:
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-TOTP_VALID_WINDOW, TOTP_VALID_WINDOW + 1):
        step = current + offset
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


@transaction.atomic
def totp_code_use(*, user: User, code: str) -> bool:
    """Accept ``code`` once: right for now (± one step) and from a later time step
    than the last accepted code. The user row is locked so two requests with the
    same code cannot both pass."""
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return False
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.has_totp:
        return False
    step = matching_step(str(locked.totp_secret), code, timezone.now())
    if step is None or (locked.totp_last_step is not None and step <= locked.totp_last_step):
        return False
    locked.totp_last_step = step
    # A technical counter, excluded from history: no history row per step-up
    # (simple-history adds the method at runtime; the stubs cannot see it).
    locked.save_without_historical_record(update_fields=["totp_last_step"])  # type: ignore[attr-defined]
    user.totp_last_step = step
    return True


def axes_not_a_password_login(request, credentials=None) -> bool:
    """django-axes ``AXES_WHITELIST_CALLABLE``: the identity provider's answer
    (OIDC callback, SAML ACS) carries no username or password to guess, and a
    refused sign-on must not lock everyone behind the town hall's one address."""
    if request is None:
        return False
    return not (credentials or {}).get("username") and request.path.startswith(
        ("/oidc/", "/saml2/")
    )


def sessions_end(*, user_id: int) -> int:
    """Log a person out everywhere: delete every session that carries their id.

    Sessions are database rows (Django's default engine, also behind
    ``cached_db``), without an index by person, so each live session is read
    once; a municipality's few thousand rows take well under a second. Returns
    how many sessions ended."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    engine = import_module(settings.SESSION_ENGINE)
    ended = 0
    wanted = str(user_id)
    live = Session.objects.filter(expire_date__gt=timezone.now())
    for key, data in live.values_list("session_key", "session_data").iterator():
        store = engine.SessionStore(session_key=key)
        if str(store.decode(data).get(SESSION_KEY)) == wanted:
            store.delete(key)
            ended += 1
    return ended
