"""The rules a plan must meet: before it is submitted (bilaga 1 filled in, the
name and address rules, the people rules of §5) and before the register takes an
account from it (§2–§3: only an approved plan, exactly as approved)."""

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from activity_plans.models import ActivityPlan, Decision, Step
from activity_plans.selectors import name_problem_details
from channels_registry import services as registry
from channels_registry.addresses import address_problems
from channels_registry.models import AccountMember
from channels_registry.rules import all_people_problems


def direct_registration_refusals(
    data: Any, is_pre_existing: bool = False, **kwargs: Any
) -> list[str]:
    """Registry hook (§2–§3): only an approved plan, or registering an account that
    existed before the policy, brings an account into the register."""
    if is_pre_existing:
        return []
    return [
        _(
            "Ett nytt konto kommer till genom en godkänd aktivitetsplan (§2–§3). "
            "Bara ett konto som fanns före policyn kan registreras direkt."
        )
    ]


def approved_plan_problems(
    plan_id: int,
    *,
    account_id: int | None = None,
    data: registry.AccountData | None = None,
    **kwargs: Any,
) -> list[str]:
    """Registry hook (§2–§3): the register creates or amends an account only for
    a plan whose final approval is being given in this transaction (recorded at
    its current version, not yet finished, so an earlier approval cannot be
    replayed), and only as that plan says: a new account with exactly the plan's
    data, an amendment of exactly the plan's account."""
    plan = ActivityPlan.objects.select_related("platform", "unit").filter(pk=plan_id).first()
    if plan is not None and plan.approved_at is not None:
        return [_("Aktivitetsplanens godkännande har redan förts in i registret.")]
    if (
        plan is None
        or not Decision.objects.filter(
            plan=plan,
            revision=plan.revision,
            kind=Decision.Kind.APPROVED,
            step=Step.INFORMATION_OFFICER,
        ).exists()
    ):
        return [_("Aktivitetsplanen är inte godkänd av informationsansvarig.")]
    if account_id is None:
        if plan.account_id is not None or data is None or data != account_data(plan):
            return [_("Kontots uppgifter är inte de som den godkända aktivitetsplanen anger.")]
    elif plan.account_id != account_id:
        return [_("Den godkända aktivitetsplanen gäller ett annat konto.")]
    return []


def account_data(plan: ActivityPlan) -> registry.AccountData:
    # Submission required these (REQUIRED_FIELDS): an approved plan has them all.
    assert (
        plan.platform is not None and plan.posts_min is not None
    )  # type narrowing of an invariant  # nosec B101
    assert plan.response_hours is not None  # type narrowing of an invariant  # nosec B101
    return registry.AccountData(
        platform=plan.platform,
        display_name=plan.display_name,
        handle=plan.handle,
        planned_url=plan.planned_url,
        unit=plan.unit,
        purpose=plan.purpose,
        contact=plan.contact,
        update_frequency_text=plan.update_frequency_text,
        response_time_text=plan.response_time_text,
        target_audience=plan.target_audience[:300],
        posts_min=plan.posts_min,
        posts_period=plan.posts_period,
        response_hours=plan.response_hours,
        response_clock=plan.response_clock,
    )


REQUIRED_FIELDS = (
    "platform",
    "display_name",
    "handle",
    "planned_url",
    "contact",
    "purpose",
    "target_audience",
    "goals",
    "evaluation",
    "content_kind",
    "posts_min",
    "update_frequency_text",
    "hours_per_week",
    "who_does_it",
    "owner",
    "deputy",
    "questions_routine",
    "response_hours",
    "response_time_text",
    "moderation_routine",
    "holiday_cover",
    "comment_rules",
    "nora_se_relation",
    "closure_plan",
)


@dataclass
class _ProposedMember:
    """An AccountMember-shaped proposal, so the register's people rules apply."""

    user: User
    role: str
    holds_credentials: bool
    starts_on: object
    ends_on: object = None


def submission_problems(plan: ActivityPlan) -> dict[str, list[str]]:
    """Everything that keeps the plan from being submitted, by form field."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for name in REQUIRED_FIELDS:
        value = getattr(plan, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            label = cast(Field, ActivityPlan._meta.get_field(name)).verbose_name
            add(name, _("Fyll i %(field)s.") % {"field": label})
    if plan.posts_min is not None and plan.posts_min < 1:
        add("posts_min", _("Ange minst ett inlägg per vecka eller månad."))
    if plan.response_hours is not None and plan.response_hours < 1:
        add("response_hours", _("Svarstiden måste vara minst en timme."))
    if plan.hours_per_week is not None and plan.hours_per_week <= 0:
        add("hours_per_week", _("Ange hur många timmar i veckan som är avsatta (§3)."))
    if not plan.nora_se_up_to_date:
        add(
            "nora_se_up_to_date",
            _("Bekräfta att enhetens sidor på nora.se är aktuella: webbplatsen kommer först (§2)."),
        )
    if plan.platform_id and plan.display_name and plan.handle:
        for problem in name_problem_details(plan):
            add("display_name" if problem.rule == "display_name" else "handle", problem.message)
    for message in planned_address_problems(plan):
        add("planned_url", message)
    if plan.owner_id and plan.deputy_id and plan.owner_id == plan.deputy_id:
        add("deputy", _("Ersättaren måste vara en annan person än den kontoansvariga (§5)."))
    elif plan.owner is not None and plan.deputy is not None:
        today = timezone.localdate()
        proposed = [
            _ProposedMember(plan.owner, AccountMember.Role.OWNER, True, today),
            _ProposedMember(plan.deputy, AccountMember.Role.DEPUTY, True, today),
        ]
        proposed += [
            _ProposedMember(admin, AccountMember.Role.ADMIN, False, today)
            for admin in plan.admins.exclude(pk__in=[plan.owner_id, plan.deputy_id])
        ]
        for message in all_people_problems(proposed, today):
            add("owner", message)
        for person, field in ((plan.owner, "owner"), (plan.deputy, "deputy")):
            if not person.is_current(today):
                add(
                    field,
                    _("%(name)s är inte längre anställd eller är inaktiverad.") % {"name": person},
                )
    return problems


def planned_address_problems(plan: ActivityPlan) -> list[str]:
    """§4, §10: the intended address is https, on the platform's own domain and
    leads to the planned handle (the register checks the real one the same way)."""
    if not plan.planned_url or plan.platform is None:
        return []
    return [
        p.message
        for p in address_problems(
            url=plan.planned_url,
            platform_name=plan.platform.name,
            domains=plan.platform.domain_list,
            handle=plan.handle,
        )
    ]
