import pytest

from activity_plans import copies, services
from tests.factories import (
    AcknowledgementFactory,
    CompetenceFactory,
    UserFactory,
    account_address,
)


def complete_values(platform, owner, deputy, **extra) -> dict:
    values = {
        "platform": platform,
        "display_name": "Nora kommun Näringsliv",
        "handle": "norakommunnaringsliv",
        "contact": "naringsliv@nora.se",
        "purpose": "Nyheter för företagare i Nora.",
        "target_audience": "Företagare och de som vill starta företag.",
        "goals": "Fler företagare känner till kommunens stöd.",
        "evaluation": "Räckvidd och frågor till näringslivsenheten varje halvår.",
        "content_kind": "Nyheter, evenemang och tips.",
        "posts_min": 2,
        "posts_period": "week",
        "update_frequency_text": "Ett par gånger i veckan",
        "hours_per_week": 3,
        "who_does_it": "Kontoansvarig och ersättare.",
        "owner": owner,
        "deputy": deputy,
        "questions_routine": "Frågor besvaras på plattformen eller hänvisas till nora.se.",
        "response_hours": 8,
        "response_clock": "working",
        "response_time_text": "Vi svarar inom en arbetsdag",
        "moderation_routine": "Kontot bevakas varje vardag.",
        "holiday_cover": "Ersättaren bevakar under semester; chefen täcker vid behov.",
        "comment_rules": "Inga personangrepp, ingen reklam.",
        "nora_se_relation": "Länkar till nora.se/naringsliv.",
        "nora_se_up_to_date": True,
        "closure_plan": "Avslutas om målen inte nås inom ett år.",
    }
    values.update(extra)
    if "planned_url" not in extra and values["platform"] is not None:
        values["planned_url"] = account_address(values["platform"], values["handle"])
    return values


@pytest.fixture
def owner_and_deputy(staff, colleague, platform):
    for person in (staff, colleague):
        AcknowledgementFactory(user=person)
        CompetenceFactory(user=person, platform=platform.slug)
    return staff, colleague


@pytest.fixture
def make_plan(platform, owner_and_deputy):
    """``make_plan(author, **overrides)``: a complete draft by ``author``."""
    owner, deputy = owner_and_deputy

    def make(author, **extra):
        people = {"owner": owner, "deputy": deputy}
        people.update({k: extra.pop(k) for k in ("owner", "deputy") if k in extra})
        return services.plan_create(
            actor=author, values=complete_values(platform, **people, **extra)
        )

    return make


@pytest.fixture
def draft(make_plan, staff):
    return make_plan(staff)


@pytest.fixture
def submitted(draft, staff):
    return services.plan_submit(plan_id=draft.pk, actor=staff)


@pytest.fixture
def chain(org, info_officer):
    """Everyone the chain needs: manager, head, information officer."""
    return {"manager": org["manager"], "head": org["head"], "io": info_officer}


def approve_all(plan, chain, *, with_pdf=True):
    """The whole chain approves; with ``with_pdf``, the PDF is then rendered as
    the worker's task does after commit (tests/activity_plans/test_plan_pdf_task.py
    runs it in a real worker)."""
    for who in ("manager", "head", "io"):
        plan = services.plan_approve(plan_id=plan.pk, actor=chain[who])
    if with_pdf:
        copies.plan_pdf_make(plan_id=plan.pk, actor_id=chain["io"].pk)
        plan.refresh_from_db()
    return plan


@pytest.fixture
def stranger(db):
    return UserFactory(username="stranger", roles=["registrator"])
