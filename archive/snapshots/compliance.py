"""The archive's compliance rule (§10): a snapshot with fresh screenshots at
least every 12 months. Accounts activated less than 12 months ago are exempt.
One query for every account in scope."""

from dateutil.relativedelta import relativedelta
from django.db.models import Max
from django.utils.translation import gettext as _

from channels_registry.compliance.engine import Hit, SweepContext, rule
from channels_registry.models import Finding, SocialAccount

RESPONSIBLE = "Kontoansvarig, därefter enhetschef och förvaltningschef"
MONTHS = 12


@rule(
    code="no_recent_snapshot",
    title="Ingen ögonblicksbild med nya skärmdumpar de senaste 12 månaderna",
    severity=Finding.Severity.MEDIUM,
    policy_section="§10",
    responsible=RESPONSIBLE,
)
def no_recent_snapshot(ctx: SweepContext):
    cutoff = ctx.today - relativedelta(months=MONTHS)
    accounts = (
        ctx.scope(SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE))
        .exclude(activated_on__gt=cutoff)
        .annotate(latest=Max("snapshots__screenshots_taken_on"))
        .order_by("pk")
        .values_list("pk", "latest")
    )
    none_yet = _(
        "Kontot har ingen ögonblicksbild (§10). Ladda upp nya skärmdumpar och "
        "skapa en ögonblicksbild."
    )
    too_old = _(
        "Den senaste ögonblicksbildens skärmdumpar är från %(date)s, äldre än "
        "12 månader (§10). Skapa en ny ögonblicksbild."
    )
    for account_id, latest in accounts:
        if latest is None:
            yield Hit(account_id, none_yet)
        elif latest < cutoff:
            yield Hit(account_id, too_old % {"date": latest.isoformat()})
