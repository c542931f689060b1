"""Step-up authentication: a sensitive action (revealing or changing escrowed
access) needs the password, or a TOTP code where the person has enrolled one,
entered again within the last ``STEP_UP_SECONDS``."""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "stepup_at"


def mark_stepped_up(request) -> None:
    request.session[SESSION_KEY] = int(time.time())
    request.session.cycle_key()


def is_stepped_up(request) -> bool:
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int) and 0 <= time.time() - at <= settings.STEP_UP_SECONDS


def step_up_redirect(request):
    """The answer when a person must confirm who they are first, then come back.

    For views that check permissions (404/403) before asking for step-up."""
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('accounts:step_up')}?{query}")


def step_up_required(view):
    """Send the person to confirm who they are, then back to the same page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_stepped_up(request):
            return step_up_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper
