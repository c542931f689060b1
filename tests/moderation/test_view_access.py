"""Who may open which page: anonymous → login; a page the role may never use →
403; an object the user may not see → 404, the same as a missing one."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from moderation import questions, services
from moderation.categories import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(account, staff, png):
    post = services.post_log(
        account_id=account.pk,
        actor=staff,
        author=staff,
        published_at=timezone.now() - datetime.timedelta(hours=2),
        text="Inlägg",
    )
    action = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=services.ActionData(
            action="deleted",
            origin="citizen",
            category=Category.OLAGA_HOT,
            reason="Hot.",
            content_text="Hotet",
        ),
        screenshot=png,
    )
    question = questions.question_log(
        account_id=account.pk,
        actor=staff,
        received_at=timezone.now() - datetime.timedelta(hours=1),
        asker="Eva",
        text="Fråga?",
    )
    return {
        "account": account.pk,
        "post": post.pk,
        "action": action.pk,
        "escalation": action.escalation.pk,
        "question": question.pk,
    }


# (url name, which record's pk, a write page?)
OBJECT_PAGES = [
    ("moderation:account_log", "account", False),
    ("moderation:post_create", "account", True),
    ("moderation:action_create", "account", True),
    ("moderation:question_create", "account", True),
    ("moderation:post_detail", "post", False),
    ("moderation:post_correct", "post", True),
    ("moderation:post_withdraw", "post", True),
    ("moderation:action_detail", "action", False),
    ("moderation:action_correct", "action", True),
    ("moderation:action_screenshot", "action", False),
    ("moderation:escalation_detail", "escalation", False),
    ("moderation:question_detail", "question", False),
]
LIST_PAGES = [
    "moderation:index",
    "moderation:action_list",
    "moderation:queue",
    "moderation:overdue",
]


@pytest.mark.parametrize("name, key, write", OBJECT_PAGES)
def test_anonymous_is_sent_to_login(records, name, key, write):
    response = Client().get(reverse(name, args=[records[key]]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", LIST_PAGES)
def test_anonymous_is_sent_to_login_from_lists(name):
    response = Client().get(reverse(name))
    assert response.status_code == 302


@pytest.mark.parametrize("name, key, write", OBJECT_PAGES)
def test_outsider_gets_404(records, outsider, client_for, name, key, write):
    assert client_for(outsider).get(reverse(name, args=[records[key]])).status_code == 404


@pytest.mark.parametrize("name, key, write", OBJECT_PAGES)
def test_person_on_the_account_may_open_every_page(
    records, colleague, client_for, name, key, write
):
    assert client_for(colleague).get(reverse(name, args=[records[key]])).status_code == 200


@pytest.mark.parametrize("name, key, write", OBJECT_PAGES)
def test_registrar_reads_everything_but_logs_nothing(
    records, registrar, client_for, name, key, write
):
    status = client_for(registrar).get(reverse(name, args=[records[key]])).status_code
    assert status == (403 if write else 200)


@pytest.mark.parametrize("name, key, write", OBJECT_PAGES)
def test_manager_of_the_unit_may_read_and_log(records, manager, client_for, name, key, write):
    assert client_for(manager).get(reverse(name, args=[records[key]])).status_code == 200


def test_security_coordinator_sees_escalated_content_but_not_the_account_log(
    records, security_coordinator, client_for
):
    client = client_for(security_coordinator)
    assert (
        client.get(
            reverse("moderation:escalation_detail", args=[records["escalation"]])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("moderation:action_detail", args=[records["action"]])).status_code == 200
    )
    assert (
        client.get(reverse("moderation:action_screenshot", args=[records["action"]])).status_code
        == 200
    )
    assert (
        client.get(reverse("moderation:account_log", args=[records["account"]])).status_code == 404
    )
    assert client.get(reverse("moderation:post_detail", args=[records["post"]])).status_code == 404


@pytest.mark.parametrize("name", LIST_PAGES)
def test_lists_show_outsider_nothing_of_the_account(records, outsider, client_for, name):
    response = client_for(outsider).get(reverse(name))
    assert response.status_code == 200
    assert "Nora kommun" not in response.content.decode().split("<main", 1)[1]


def test_missing_record_is_404(staff, client_for, account):
    assert (
        client_for(staff).get(reverse("moderation:action_detail", args=[999999])).status_code == 404
    )


def test_registrar_finds_removed_content_in_the_list(records, registrar, client_for):
    page = client_for(registrar).get(reverse("moderation:action_list"), {"kategori": "olaga_hot"})
    assert "Olaga hot" in page.content.decode()
    assert f"/moderering/atgarder/{records['action']}/" in page.content.decode()


def test_action_form_reminds_that_criticism_is_no_reason_and_attacks_get_no_reply(
    account, staff, client_for
):
    page = (
        client_for(staff)
        .get(reverse("moderation:action_create", args=[account.pk]))
        .content.decode()
    )
    assert "Kritik är inte ett skäl" in page
    assert "Personangrepp tas bort utan svar" in page
    assert "Barnpornografi sparas aldrig" in page


def test_personal_attack_record_says_it_was_removed_without_reply(account, staff, client_for):
    record = services.action_log(
        account_id=account.pk,
        actor=staff,
        data=services.ActionData(
            action="deleted",
            origin="citizen",
            category=Category.PERSONANGREPP,
            reason="Angrepp på en handläggare.",
            content_text="Du är värdelös.",
        ),
    )
    page = client_for(staff).get(reverse("moderation:action_detail", args=[record.pk]))
    assert "tas bort utan att besvaras" in page.content.decode()


def test_barnpornografi_form_refuses_content_and_stores_nothing(account, staff, client_for):
    from moderation.models import ModerationAction
    from tests.moderation.conftest import upload

    response = client_for(staff).post(
        reverse("moderation:action_create", args=[account.pk]),
        {
            "action": "deleted",
            "origin": "citizen",
            "category": "barnpornografi",
            "reason": "Övergreppsbild.",
            "content_text": "beskrivning",
            "content_link": "https://example.com/x",
            "screenshot": upload(),
        },
    )
    assert response.status_code == 400
    assert response.content.decode().count("aldrig sparas") >= 3
    assert not ModerationAction.objects.exists()


def test_account_log_query_count_does_not_grow_with_records(account, staff, client_for, png):
    client = client_for(staff)
    url = reverse("moderation:account_log", args=[account.pk])

    def add(n):
        for i in range(n):
            services.post_log(
                account_id=account.pk,
                actor=staff,
                author=staff,
                published_at=timezone.now(),
                text=f"Inlägg {i}",
            )
            services.action_log(
                account_id=account.pk,
                actor=staff,
                data=services.ActionData(
                    action="hidden",
                    origin="citizen",
                    category=Category.OLAGA_HOT if i % 2 else Category.REKLAM,
                    reason="x",
                    content_text="y",
                ),
            )
            questions.question_log(
                account_id=account.pk, actor=staff, received_at=timezone.now(), asker="A", text="?"
            )

    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(8)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
