"""The plans app's compliance rules: an active account needs an approved plan
(§2–§3), a pre-existing account by its ``plan_due_on`` (90 days); and an
approved plan has its PDF/A (§3), which a task renders after the approval.

One query per rule for all accounts in scope."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
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


# Longer than the PDF task's whole retry series (NoraTask: five retries, each
# backoff at most retry_backoff_max), so a plan past it has either exhausted its
# retries or was never queued (a broker that was away at the approval).
PDF_MISSING_AFTER = datetime.timedelta(hours=1)


@rule(
    code="plan_pdf_missing",
    title=gettext_lazy("Aktivitetsplanens PDF saknas"),
    severity=Finding.Severity.MEDIUM,
    policy_section="§3",
    responsible=gettext_lazy("Informationsansvarig"),
)
def plan_pdf_missing(ctx: SweepContext):
    plans = (
        ctx.scope_related(
            ActivityPlan.objects.filter(
                status=ActivityPlan.Status.APPROVED,
                pdf="",
                account__isnull=False,
                approved_at__lt=ctx.now - PDF_MISSING_AFTER,
            )
        )
        .order_by("pk")
        .values_list("pk", "account_id", "revision", "approved_at")
    )
    message = _(
        "Aktivitetsplanen (version %(revision)s), godkänd %(approved)s, har ingen PDF/A (§3). "
        "Informationsansvarig öppnar planen och väljer ”Skapa PDF:en igen”."
    )
    for plan_id, account_id, revision, approved_at in plans:
        approved = f"{timezone.localtime(approved_at):%Y-%m-%d %H:%M}"
        yield Hit(
            account_id,
            message % {"revision": revision, "approved": approved},
            key=f"plan-{plan_id}",
        )
