"""The plans app's compliance rule: an active account needs an approved plan
(§2–§3). A pre-existing account has until its ``plan_due_on`` (90 days).

One query for all accounts in scope."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from activity_plans.models import ActivityPlan
from channels_registry.compliance.engine import Hit, SweepContext, rule
from channels_registry.models import Finding, SocialAccount


@rule(
    code="no_approved_plan",
    title=gettext_lazy("Godkänd aktivitetsplan saknas"),
    severity=Finding.Severity.HIGH,
    policy_section="§2, §3",
    responsible=gettext_lazy("Kontoansvarig, därefter enhetschef"),
)
def no_approved_plan(ctx: SweepContext):
    approved = ActivityPlan.objects.filter(
        account=OuterRef("pk"), status=ActivityPlan.Status.APPROVED
    )
    accounts = (
        ctx.scope(SocialAccount.objects.filter(status=SocialAccount.Status.ACTIVE))
        .exclude(Exists(approved))
        .exclude(Q(is_pre_existing=True, plan_due_on__gte=ctx.today))
        .order_by("pk")
        .values_list("pk", "is_pre_existing", "plan_due_on")
    )
    for account_id, is_pre_existing, plan_due_on in accounts:
        if is_pre_existing:
            message = (
                "Kontot fanns före policyn och skulle ha haft en godkänd aktivitetsplan "
                f"senast {plan_due_on:%Y-%m-%d} (§2, §3)."
                if plan_due_on
                else "Kontot fanns före policyn och saknar godkänd aktivitetsplan (§2, §3)."
            )
        else:
            message = "Kontot saknar godkänd aktivitetsplan (§2, §3)."
        yield Hit(account_id, message)
