"""The register's own compliance rules: people rules and deputy (§3, §5).

Each evaluates all accounts in scope in two queries (accounts, current members)."""

from channels_registry.engine import Hit, SweepContext, rule
from channels_registry.models import Finding, SocialAccount
from channels_registry.rules import deputy_problems, people_problems
from channels_registry.selectors import current_members_prefetch


def _active_with_members(ctx: SweepContext):
    return (
        ctx.scope(SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE))
        .prefetch_related(current_members_prefetch(ctx.today))
        .only("pk")
    )


@rule(
    code="people_rules",
    title="Reglerna för kontots personer är brutna",
    severity=Finding.Severity.HIGH,
    policy_section="§3, §5",
    responsible="Kontoansvarig, därefter enhetschef",
    time_critical=True,
)
def people_rules(ctx: SweepContext):
    for account in _active_with_members(ctx):
        problems = people_problems(account.current_members, ctx.today)
        if problems:
            yield Hit(account.pk, " ".join(problems))


@rule(
    code="deputy",
    title="Ersättare saknas",
    severity=Finding.Severity.HIGH,
    policy_section="§5",
    responsible="Kontoansvarig, därefter enhetschef",
    time_critical=True,
)
def deputy(ctx: SweepContext):
    for account in _active_with_members(ctx):
        problems = deputy_problems(account.current_members, ctx.today)
        if problems:
            yield Hit(account.pk, " ".join(problems))
