"""Fixtures for the register: the moderation fixtures' account (``staff`` owner,
``colleague`` deputy, in the first unit of KS), one in BUN, and helpers."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from archive.disposal import services as disposal
from archive.models import Direction, DisposableType, RetentionDecision
from archive.register import services
from moderation.services import ActionData, action_log
from tests.moderation.conftest import make_account

ON_POSTGRES = connection.vendor == "postgresql"
only_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="PostgreSQL behaviour (row locks, Swedish dictionary)"
)


@pytest.fixture
def account(org, platform, staff, colleague):
    return make_account(
        org["unit"],
        platform,
        owner=staff,
        deputy=colleague,
        display_name="Nora kommun",
        handle="norakommun",
    )


@pytest.fixture
def other_account(org, platform, outsider, other_manager):
    return make_account(
        org["other_unit"],
        platform,
        owner=outsider,
        deputy=other_manager,
        display_name="Nora kommun Skolan",
        handle="norakommun.skolan",
    )


@pytest.fixture
def other_manager(org):
    return org["other_manager"]


def entry(**kwargs) -> services.Entry:
    values = {
        "direction": Direction.RECEIVED,
        "document_date": timezone.localdate() - datetime.timedelta(days=1),
        "subject": "Synpunkt på kommunens inlägg",
        "party": "Erik Exempelsson",
    }
    values.update(kwargs)
    return services.Entry(**values)


def register(actor, to_account, **kwargs):
    return services.register_document(actor=actor, entry=entry(**kwargs), account_id=to_account.pk)


def removed_comment(
    to_account,
    actor,
    *,
    text: str,
    author="Greta Granskare",
    provision="",
    category="",
    screenshot=None,
):
    posted = timezone.now() - datetime.timedelta(days=2)
    return action_log(
        account_id=to_account.pk,
        actor=actor,
        data=ActionData(
            action="unpublished" if provision else "deleted",
            origin="citizen",
            category=category or ("sekretess" if provision else "personangrepp"),
            reason="Innehållet bröt mot reglerna.",
            content_author=author,
            content_text=text,
            content_posted_at=posted,
            captured_at=posted + datetime.timedelta(hours=1),
            secrecy_provision=provision,
        ),
        screenshot=screenshot,
    )


def corrected(action, actor, *, note: str, **changes):
    """A correction of ``action`` as a moderator logs it: the same content with
    the fields in ``changes`` changed; the screenshot is kept."""
    values = {
        field: getattr(action, field)
        for field in (
            "action",
            "origin",
            "category",
            "reason",
            "content_author",
            "content_text",
            "content_link",
            "content_posted_at",
            "captured_at",
            "comment_rule",
            "secrecy_provision",
        )
    }
    values.update(changes)
    return action_log(
        account_id=action.account_id,
        actor=actor,
        data=ActionData(**values),
        supersedes_id=action.pk,
        correction_note=note,
    )


def retention_decision(
    registrar, record_type=DisposableType.MODERATION_ACTION, *, years=2, rule=None
) -> RetentionDecision:
    """A retention decision of the kind a registrar records: dispose after
    ``years`` unless another rule is given."""
    return disposal.decision_record(
        actor=registrar,
        data=disposal.DecisionData(
            record_type=record_type,
            rule=rule or RetentionDecision.Rule.AFTER_YEARS,
            years=years,
            decided_by_body="Kommunstyrelsen",
            decided_on=datetime.date(2025, 3, 1),
            plan_paragraph="3.4.2",
            decision_reference="KS 2025/12",
        ),
    )
