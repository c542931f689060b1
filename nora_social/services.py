"""Writes for the public pages: a report of an accessibility problem is mailed
to the municipality's contact (DOS-lagen 2018:1937, 16 §)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class ReportNotSent(Exception):
    """The mail server did not take the report; the person is told to mail us."""


def accessibility_report_send(
    *, page_url: str, description: str, name: str = "", email: str = ""
) -> None:
    """Mail the report to ACCESSIBILITY_CONTACT, with the reporter as Reply-To
    when they gave an address. Nothing is stored here: the mail is the received
    public record, registered by the municipality like any other."""
    received = timezone.localtime()
    body = "\n".join(
        [
            _("En rapport om bristande tillgänglighet har kommit in via webbformuläret."),
            "",
            _("Mottagen: %(when)s") % {"when": received.strftime("%Y-%m-%d %H:%M")},
            _("Sida: %(page)s") % {"page": page_url},
            _("Namn: %(name)s") % {"name": name or _("(inte angivet)")},
            _("E-post: %(email)s") % {"email": email or _("(inte angiven)")},
            "",
            _("Beskrivning:"),
            description,
            "",
            _("Enligt lagen (2018:1937) om tillgänglighet till digital offentlig service ska")
            + " "
            + _(
                "kommunen ta ställning till rapporten och svara den som har lämnat kontaktuppgifter."
            ),
            f"{settings.SITE_URL}{reverse('accessibility')}",
        ]
    )
    message = EmailMessage(
        subject=_("Rapport om tillgänglighetsbrist – Nora kommun sociala medier"),
        body=body,
        to=[settings.ACCESSIBILITY_CONTACT],
        reply_to=[email] if email else None,
    )
    try:
        message.send()
    except OSError as exc:
        logger.warning("Accessibility report could not be mailed: %s", type(exc).__name__)
        raise ReportNotSent from exc
