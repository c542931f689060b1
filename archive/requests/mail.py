"""Mail to the requester, only when they gave an address: the receipt with the
tracking link, and the link to the hand-out. The links are sent, never stored."""

from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.requests.models import RecordsRequest
from archive.requests.services import link_days


def send_receipt(request: RecordsRequest, tracking_url: str) -> None:
    if not request.requester_email:
        return
    send_mail(
        _("Vi har tagit emot din begäran om allmän handling"),
        _(
            "Din begäran kom in %(when)s. Vi prövar den skyndsamt.\n\n"
            "Här kan du följa den: %(url)s\n"
        )
        % {
            "when": f"{timezone.localtime(request.received_at):%Y-%m-%d %H:%M}",
            "url": tracking_url,
        },
        None,
        [request.requester_email],
    )


def send_handout_link(request: RecordsRequest, url: str) -> None:
    if not request.requester_email:
        return
    send_mail(
        _("Handlingarna du begärt: %(reference)s") % {"reference": request},
        _("Hämta handlingarna här (länken gäller i %(days)s dagar): %(url)s\n")
        % {"days": link_days(), "url": url},
        None,
        [request.requester_email],
    )
