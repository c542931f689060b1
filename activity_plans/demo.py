"""Demo plans in several states, made through the services so the chain,
decisions, PDFs and notifications are exactly as in real use:

- a draft by ``medarbetare`` (Instagram for Kommunikation),
- a plan submitted by ``medarbetare``, waiting for ``chef``,
- a plan approved by ``chef``, ``forvaltningschef`` and ``kommunchef``, which
  created its planned account,
- approved plans for the register's demo accounts that came from plans.
"""

import logging

from accounts.models import Unit, User
from activity_plans import copies, services
from activity_plans.models import ActivityPlan
from channels_registry.demo import demo_address
from channels_registry.models import Platform, SocialAccount

logger = logging.getLogger(__name__)


def _values(platform, name, handle, purpose, owner, deputy, **extra) -> dict:
    values = {
        "platform": platform,
        "display_name": name,
        "handle": handle,
        "planned_url": demo_address(platform, handle),
        "contact": "kommunikation@nora.se",
        "purpose": purpose,
        "target_audience": "Invånare i Nora, särskilt unga vuxna.",
        "goals": "Fler invånare känner till kommunens service och evenemang.",
        "evaluation": "Räckvidd, interaktion och frågor följs upp varje halvår.",
        "content_kind": "Bilder och korta filmer från verksamheterna, evenemang.",
        "posts_min": 2,
        "posts_period": "week",
        "update_frequency_text": "Ett par gånger i veckan",
        "hours_per_week": 4,
        "who_does_it": "Kontoansvarig och ersättare turas om.",
        "owner": owner,
        "deputy": deputy,
        "questions_routine": "Frågor besvaras i kommentarerna eller hänvisas till kontaktcenter.",
        "response_hours": 8,
        "response_clock": "working",
        "response_time_text": "Vi svarar inom en arbetsdag",
        "moderation_routine": "Kontot bevakas varje vardag kl. 8–17; olämpliga inlägg tas bort.",
        "holiday_cover": "Ersättaren bevakar under semester; chefen täcker om båda är borta.",
        "comment_rules": "Håll god ton. Vi tar bort personangrepp, reklam och olagligt innehåll.",
        "nora_se_relation": "Inläggen länkar till nyheter och sidor på nora.se.",
        "nora_se_up_to_date": True,
        "closure_plan": "Kontot avslutas om det inte når målen efter ett år.",
    }
    values.update(extra)
    return values


def _plan(author: User, values: dict) -> ActivityPlan:
    existing = ActivityPlan.objects.filter(
        platform=values["platform"], handle=values["handle"]
    ).first()
    return existing or services.plan_create(actor=author, values=values)


def _approve_through(plan: ActivityPlan, approvers: list[User]) -> None:
    for approver in approvers:
        plan = services.plan_approve(plan_id=plan.pk, actor=approver)
    _render_pdf(plan, approvers[-1])


def _render_pdf(plan: ActivityPlan, approver: User | None) -> None:
    # The demo does the worker's part at once, so that the seeded world has its
    # PDFs whether or not a worker runs; the queued task then finds them there.
    if plan.status == ActivityPlan.Status.APPROVED:
        copies.plan_pdf_make(plan_id=plan.pk, actor_id=approver.pk if approver else None)


def seed(people: dict[str, User], units: dict[str, Unit]) -> None:
    staff, colleague = people["medarbetare"], people["kollega"]
    chain = [people["chef"], people["forvaltningschef"], people["kommunchef"]]
    instagram = Platform.objects.get(slug="instagram")
    facebook = Platform.objects.get(slug="facebook")
    youtube = Platform.objects.get(slug="youtube")

    _plan(
        staff,
        _values(
            instagram,
            "Nora kommun Kommunikation",
            "norakommun.kommunikation",
            "Visa vardagen i kommunens verksamheter.",
            staff,
            colleague,
            goals="",
        ),
    )

    waiting = _plan(
        staff,
        _values(
            facebook,
            "Nora kommun Evenemang",
            "norakommunevenemang",
            "Evenemang och aktiviteter i Nora.",
            staff,
            colleague,
        ),
    )
    if waiting.status == ActivityPlan.Status.DRAFT:
        services.plan_submit(plan_id=waiting.pk, actor=staff)

    approved = _plan(
        staff,
        _values(
            youtube,
            "Nora kommun Ungdom",
            "norakommunungdom",
            "Filmer för och med unga i Nora.",
            colleague,
            staff,
            posts_min=2,
            posts_period="month",
            update_frequency_text="Ett par gånger i månaden",
        ),
    )
    if approved.status == ActivityPlan.Status.DRAFT:
        services.plan_submit(plan_id=approved.pk, actor=staff)
        _approve_through(approved, chain)

    # The register's demo accounts that did not exist before the policy came
    # from plans: give each its approved plan, written by its owner.
    for account in SocialAccount.objects.filter(
        is_pre_existing=False, status=SocialAccount.Status.ACTIVE
    ).select_related("unit__administration"):
        if ActivityPlan.objects.filter(account=account).exists():
            continue
        try:
            _approve_existing(account, people)
        except services.PlanError as error:
            # Deliberate: some demo accounts break a rule (a deputy who left) so
            # the compliance sweep has something to show; they keep no plan.
            logger.debug("Demo: %s is left without a plan: %s", account, error.message)


def _approve_existing(account: SocialAccount, people: dict[str, User]) -> None:
    from activity_plans.selectors import approver_for
    from channels_registry.models import AccountMember

    owner = account.members.filter(ends_on__isnull=True, role=AccountMember.Role.OWNER).first()
    if owner is None:
        return
    plan = services.plan_start_for_account(account_id=account.pk, actor=owner.user)
    defaults = _values(
        account.platform,
        account.display_name,
        account.handle,
        account.purpose,
        plan.owner,
        plan.deputy,
    )
    values = {
        name: getattr(plan, name) or defaults[name]
        for name in services.EDITABLE_FIELDS
        if name in defaults
    }
    values["nora_se_up_to_date"] = True
    services.plan_update(plan_id=plan.pk, actor=owner.user, values=values)
    services.plan_submit(plan_id=plan.pk, actor=owner.user)
    plan.refresh_from_db()
    while plan.is_pending():
        approver = approver_for(plan, plan.pending_step())
        if approver is None:
            return
        plan = services.plan_approve(plan_id=plan.pk, actor=approver)
    _render_pdf(plan, approver)
