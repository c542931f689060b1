"""The capture's compliance rule: an account whose connection fails is not
archived (§10: the account's records are kept), a finding for its people."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from channels_registry.compliance.engine import Hit, SweepContext, rule
from channels_registry.connections.models import PlatformConnection
from channels_registry.connections.selectors import failing_connections
from channels_registry.models import Finding, SocialAccount


@rule(
    code="capture_failing",
    title=gettext_lazy("Kontot arkiveras inte"),
    severity=Finding.Severity.HIGH,
    policy_section="§10",
    responsible=gettext_lazy("Kontoansvarig och informationsansvarig"),
    time_critical=True,
)
def capture_failing(ctx: SweepContext):
    """Token expired or revoked, a permission missing, the quota spent: what
    the account publishes and receives is not captured until it is fixed."""
    rows = ctx.scope_related(
        failing_connections(ctx.now).filter(account__status=SocialAccount.Status.ACTIVE)
    ).order_by("pk")
    for connection in rows:
        health = connection.health
        if connection.token_expires_at and connection.token_expires_at <= ctx.now:
            health = PlatformConnection.Health.TOKEN_EXPIRED
        reason = PlatformConnection.Health(health).label
        yield Hit(
            connection.account_id,
            _("Kontot arkiveras inte: %(reason)s (%(platform)s). Koppla kontot på nytt.")
            % {"reason": reason, "platform": connection.get_kind_display()},
            key=f"connection-{connection.pk}-{health}",
        )
