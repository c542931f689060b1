"""One guard for every form the public may send without logging in (the
accessibility report, and the request for public records to come).

Two defences, both quiet for a person and cheap for us:

* a per-client limit, counted in the "shared" cache (Redis in production, so
  every web worker counts the same submissions): over it the form answers 429
  with a Swedish message and nothing is mailed or saved;
* a honeypot field that people never see or reach (hidden, out of the tab
  order, hidden from screen readers) but form-filling robots do fill in: such
  a submission looks accepted and is thrown away.

A view uses it as::

    guard = PublicFormGuard("accessibility_report")
    form = ReportForm(request.POST)
    if guard.refuse(request, form):
        response = render(..., status=429)
        response["Retry-After"] = str(guard.seconds_left())
        return response
    if form.is_valid():
        guard.record(request)
        if not form.caught:
            send_it(**form.cleaned_data)
"""

import logging
import time
from typing import Any

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.core.cache import caches
from django.forms import BoundField
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"


class PublicForm(forms.Form):
    """A form the public sends anonymously: carries the honeypot.

    ``caught`` is true after validation when the honeypot was filled in; the
    honeypot's value never reaches ``cleaned_data``.
    """

    website = forms.CharField(
        label=gettext_lazy("Lämna det här fältet tomt"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    caught = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.caught = bool(cleaned.pop(HONEYPOT_FIELD, ""))
        return cleaned

    def visible_fields(self) -> list[BoundField]:
        return [field for field in super().visible_fields() if field.name != HONEYPOT_FIELD]

    @property
    def honeypot(self) -> BoundField:
        """The honeypot's bound field, rendered apart by templates/form_fields.html."""
        return self[HONEYPOT_FIELD]


class PublicFormGuard:
    """Per-client limit on one anonymous form (``scope``), in fixed windows."""

    def __init__(self, scope: str) -> None:
        self.scope = scope

    @property
    def limit(self) -> int:
        return settings.PUBLIC_FORM_LIMIT

    @property
    def window(self) -> int:
        return settings.PUBLIC_FORM_WINDOW_SECONDS

    def _key(self, request: HttpRequest) -> str:
        # The address itself is never stored: a keyed hash is enough to count.
        address = get_client_ip_address(request) or "unknown"
        client = salted_hmac("public-form", address).hexdigest()[:32]
        return f"public-form:{self.scope}:{client}:{int(time.time()) // self.window}"

    def exceeded(self, request: HttpRequest) -> bool:
        try:
            return (caches["shared"].get(self._key(request)) or 0) >= self.limit
        except Exception:  # noqa: BLE001 - a cache outage must not close a public form
            logger.warning("Public form limit unavailable (cache down): %s", self.scope)
            return False

    def record(self, request: HttpRequest) -> None:
        """Count one accepted submission from this client."""
        key = self._key(request)
        try:
            cache = caches["shared"]
            cache.add(key, 0, timeout=self.window)
            cache.incr(key)
        except Exception:  # noqa: BLE001 - as above
            logger.warning("Public form limit unavailable (cache down): %s", self.scope)

    def seconds_left(self) -> int:
        """Until this window ends and the count starts over (for Retry-After)."""
        return self.window - int(time.time()) % self.window

    def refuse(self, request: HttpRequest, form: forms.Form) -> bool:
        """True, with a message on the form, when this client is over the limit."""
        if not self.exceeded(request):
            return False
        logger.info("Public form %s: a client is over its limit", self.scope)
        form.full_clean()
        form.add_error(
            None,
            _(
                "Du har skickat många formulär på kort tid. Vänta en stund och försök igen. "
                "Det du har skrivit finns kvar nedan."
            ),
        )
        return True
