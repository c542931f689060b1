"""The compliance rule of requests for public documents: a request not
answered within the municipality's limit (``RECORDS_REQUEST_LIMIT_WORKING_DAYS``,
default one working day, on the working-hours clock with Swedish holidays) is a
finding of its own, keyed by the request, with no account. Paused requests are
not counted; the finding resolves itself when the request is answered."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.requests import clock
from archive.requests.models import RecordsRequest
from channels_registry.compliance.engine import Hit, SweepContext, rule
from channels_registry.models import Finding


@rule(
    code="records_request_late",
    title=gettext_lazy("Begäran om allmän handling inte besvarad skyndsamt"),
    severity=Finding.Severity.HIGH,
    policy_section="§10 (TF 2 kap. 15 §)",
    responsible=gettext_lazy("Registrator"),
    time_critical=True,
)
def records_request_late(ctx: SweepContext):
    if ctx.account_ids is not None:
        # A sweep of some accounts only: requests belong to no account.
        return
    open_requests = (
        RecordsRequest.objects.filter(status__in=RecordsRequest.OPEN, paused_at__isnull=True)
        .select_related("case")
        .order_by("received_at")
    )
    zone = timezone.get_current_timezone()
    for request in open_requests:
        due = clock.due_at(request, ctx.now)
        if due > ctx.now:
            continue
        message = _(
            "Begäran om allmän handling %(reference)s kom in %(received)s och är inte "
            "besvarad; den skulle vara besvarad senast %(due)s (TF 2 kap. 15 §: skyndsamt)."
        ) % {
            "reference": request.case.reference if request.case else _("(ej registrerad)"),
            "received": f"{timezone.localtime(request.received_at, zone):%Y-%m-%d %H:%M}",
            "due": f"{timezone.localtime(due, zone):%Y-%m-%d %H:%M}",
        }
        yield Hit(None, message, key=f"records-request:{request.pk}")
