"""Moderation actions (§5, §6, §10; lag 1998:112 § 5): what is kept, the legal
categories and their escalation, the refusals."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Notification
from moderation import services
from moderation.categories import GROUNDS, LEGAL_CATEGORIES, Category, is_legal_duty
from moderation.models import Escalation, ModerationAction
from tests.moderation.conftest import upload

pytestmark = pytest.mark.django_db


def data(**overrides) -> services.ActionData:
    values = {
        "action": ModerationAction.Action.DELETED,
        "origin": ModerationAction.Origin.CITIZEN,
        "category": Category.REKLAM,
        "reason": "Reklam för ett företag.",
        "content_author": "Firma AB",
        "content_text": "Köp våra fönster!",
        "content_link": "https://www.facebook.com/norakommun/posts/1?comment_id=2",
        "content_posted_at": timezone.now() - datetime.timedelta(hours=2),
        "captured_at": timezone.now() - datetime.timedelta(hours=1),
    }
    values.update(overrides)
    return services.ActionData(**values)


def test_every_legal_category_names_its_provision_and_policy_rules_do_not_claim_law():
    legal = set(LEGAL_CATEGORIES)
    assert legal == {
        Category.OLAGA_HOT,
        Category.OLAGA_INTEGRITETSINTRANG,
        Category.UPPVIGLING,
        Category.HETS_MOT_FOLKGRUPP,
        Category.BARNPORNOGRAFI,
        Category.OLAGA_VALDSSKILDRING,
        Category.TERRORISM,
        Category.UPPHOVSRATT,
    }
    assert GROUNDS[Category.OLAGA_HOT].provision == "4 kap. 5 § brottsbalken"
    assert GROUNDS[Category.OLAGA_INTEGRITETSINTRANG].provision == "4 kap. 6 c § brottsbalken"
    assert GROUNDS[Category.HETS_MOT_FOLKGRUPP].provision == "16 kap. 8 § brottsbalken"
    assert GROUNDS[Category.BARNPORNOGRAFI].provision == "16 kap. 10 a § brottsbalken"
    assert "2022:666" in GROUNDS[Category.TERRORISM].provision
    assert "2010:299" in GROUNDS[Category.TERRORISM].provision
    for policy in (Category.KRANKANDE, Category.REKLAM, Category.PERSONANGREPP):
        assert not is_legal_duty(policy)


def test_removal_keeps_what_was_there(account, staff, png):
    record = services.action_log(account_id=account.pk, actor=staff, data=data(), screenshot=png)
    record.refresh_from_db()
    assert record.content_author == "Firma AB"
    assert record.content_text == "Köp våra fönster!"
    assert record.origin == ModerationAction.Origin.CITIZEN
    assert record.screenshot.name.endswith(".png")
    assert record.screenshot_type == "image/png"
    assert record.logged_by == staff


def test_policy_category_is_not_escalated(account, staff):
    record = services.action_log(account_id=account.pk, actor=staff, data=data())
    assert not Escalation.objects.filter(action=record).exists()


def test_legal_category_notifies_security_coordinator_and_unit_manager(
    account, staff, manager, security_coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = services.action_log(
            account_id=account.pk,
            actor=staff,
            data=data(category=Category.HETS_MOT_FOLKGRUPP, reason="Hets mot en folkgrupp."),
        )
    escalation = Escalation.objects.get(action=record)
    assert set(escalation.notified.all()) == {security_coordinator, manager}
    notes = Notification.objects.filter(url__endswith=f"/eskaleringar/{escalation.pk}/")
    assert {n.recipient for n in notes} == {security_coordinator, manager}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [security_coordinator.email, manager.email]
    )
    # The content never leaves in a mail.
    assert all("Köp våra fönster" not in m.body for m in mailoutbox)
    assert "16 kap. 8 § brottsbalken" in mailoutbox[0].body


def test_escalation_goes_to_manager_substitute_when_manager_absent(
    account, staff, manager, security_coordinator
):
    from tests.factories import AbsenceFactory, SubstituteFactory, UserFactory

    stand_in = UserFactory(username="stf_chef")
    SubstituteFactory(scope="unit", unit=account.unit, person=stand_in)
    today = timezone.localdate()
    AbsenceFactory(user=manager, starts_on=today, ends_on=today)
    record = services.action_log(
        account_id=account.pk, actor=staff, data=data(category=Category.OLAGA_HOT)
    )
    assert set(record.escalation.notified.all()) == {security_coordinator, stand_in}


@pytest.mark.parametrize(
    "field, overrides, with_screenshot",
    [
        ("content_text", {"content_link": ""}, False),
        ("content_link", {"content_text": ""}, False),
        ("screenshot", {"content_text": "", "content_link": ""}, True),
    ],
)
def test_barnpornografi_refuses_content_and_attachment(
    account, staff, field, overrides, with_screenshot
):
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(
            account_id=account.pk,
            actor=staff,
            data=data(category=Category.BARNPORNOGRAFI, **overrides),
            screenshot=upload() if with_screenshot else None,
        )
    assert field in exc.value.errors
    assert "aldrig sparas" in exc.value.errors[field][0]
    assert not ModerationAction.objects.exists()


def test_barnpornografi_keeps_only_metadata_and_is_escalated(account, staff, security_coordinator):
    record = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=data(
            category=Category.BARNPORNOGRAFI,
            content_text="",
            content_link="",
            reason="Bild av sexuella övergrepp på barn. Anmäld.",
        ),
    )
    record.refresh_from_db()
    assert (record.content_text, record.content_link, record.screenshot.name) == ("", "", "")
    assert record.escalation.notified.filter(pk=security_coordinator.pk).exists()


def test_database_refuses_barnpornografi_content_even_around_the_service(account, staff):
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationAction.objects.create(
            account=account,
            action="deleted",
            origin="citizen",
            category=Category.BARNPORNOGRAFI,
            reason="x",
            content_text="något",
            logged_by=staff,
        )


def test_comment_rules_removal_must_name_the_rule(account, staff):
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(
            account_id=account.pk, actor=staff, data=data(category=Category.KOMMENTARSREGLER)
        )
    assert "comment_rule" in exc.value.errors
    record = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=data(category=Category.KOMMENTARSREGLER, comment_rule="Håll dig till ämnet."),
    )
    assert record.comment_rule == "Håll dig till ämnet."


def test_content_must_be_preserved_before_removal(account, staff):
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(account_id=account.pk, actor=staff, data=data(content_text=""))
    assert "content_text" in exc.value.errors


def test_secret_content_is_marked_for_registration_with_its_provision(account, staff):
    record = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=data(
            action=ModerationAction.Action.UNPUBLISHED,
            category=Category.SEKRETESS,
            secrecy_provision="26 kap. 1 § OSL",
            reason="Uppgifter om en enskilds hälsa.",
        ),
    )
    assert record.for_registration is True
    assert record.secrecy_provision == "26 kap. 1 § OSL"
    from moderation.selectors import awaiting_registration

    assert list(awaiting_registration()) == [record]


def test_secrecy_category_needs_the_osl_provision(account, staff):
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(
            account_id=account.pk,
            actor=staff,
            data=data(action="unpublished", category=Category.SEKRETESS),
        )
    assert "secrecy_provision" in exc.value.errors


def test_secret_content_may_not_just_be_hidden(account, staff):
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(
            account_id=account.pk,
            actor=staff,
            data=data(
                action=ModerationAction.Action.HIDDEN,
                category=Category.SEKRETESS,
                secrecy_provision="26 kap. 1 § OSL",
            ),
        )
    assert "action" in exc.value.errors


def test_withdrawal_category_is_only_for_own_posts(account, staff):
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(
            account_id=account.pk, actor=staff, data=data(category=Category.INAKTUELLT)
        )
    assert "category" in exc.value.errors


def test_future_capture_time_is_refused(account, staff):
    with pytest.raises(services.ModerationError) as exc:
        services.action_log(
            account_id=account.pk,
            actor=staff,
            data=data(captured_at=timezone.now() + datetime.timedelta(days=1)),
        )
    assert "captured_at" in exc.value.errors


def test_registrar_may_read_but_not_log(account, registrar):
    with pytest.raises(services.ModerationError):
        services.action_log(account_id=account.pk, actor=registrar, data=data())


def test_outsider_cannot_log(account, outsider):
    with pytest.raises(services.ModerationError):
        services.action_log(account_id=account.pk, actor=outsider, data=data())
