"""Every free-text field rendered escaped: the world is built with a script and
a markup payload in every free-text field (account name, purpose, contact, plan
fields, moderation texts, question, document subject and party, notifications,
access request reason). Every page any persona may open, the public JSON and
embed, the plan PDF's HTML and the notification e-mails show it escaped, never
raw."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from activity_plans.models import ActivityPlan
from activity_plans.pdf import plan_pdf_html
from channels_registry.escrow import services as escrow_services
from tests.security.access_matrix import EXPECTED, ROLES
from tests.security.test_access_matrix import app_patterns, build_url
from tests.security.world import personas_fixture, shared_fixture, world_fixture  # noqa: F401

SCRIPT = '<script>alert("x")</script>'
MARKUP = "<b>markup</b>"
WORLD_TEXT = f"{SCRIPT} {MARKUP}"
RAW = ("<script>alert", "<b>markup")
ESCAPED = ("&lt;script&gt;alert", "&lt;b&gt;markup")


def html_pages(personas, world):
    """(name, persona, response) for every HTML page a persona may open, own unit."""
    for persona in ROLES:
        client = Client()
        if persona != "anonymous":
            client.force_login(personas[persona])
        for name, _route, _keywords in app_patterns():
            entry = EXPECTED.get(name)
            if entry is None or name == "accounts:logout":
                continue
            expected = entry.get(persona, entry.get("default"))
            own = expected[0] if isinstance(expected, tuple) else expected
            if own != 200:
                continue
            response = client.get(build_url(name, entry, world, "own", persona))
            if response.streaming or "html" not in response.get("Content-Type", ""):
                continue
            yield name, persona, response


@pytest.mark.django_db
def test_no_page_shows_a_free_text_payload_raw(personas, world):
    raw_on, escaped_on = [], set()
    for name, persona, response in html_pages(personas, world):
        body = response.content.decode()
        if any(r in body for r in RAW):
            raw_on.append(f"{name} as {persona}")
        if all(e in body for e in ESCAPED):
            escaped_on.add(name)
    assert not raw_on, f"Payload shown raw on: {raw_on}"
    # The payload is really there, escaped, on the pages that show the texts.
    for name in (
        "channels_registry:account_detail",
        "channels_registry:public_list",
        "moderation:post_detail",
        "moderation:action_detail",
        "moderation:question_detail",
        "archive:document_detail",
        "activity_plans:plan_detail",
        "accounts:notifications",
    ):
        assert name in escaped_on, f"{name} does not show the escaped payload"


@pytest.mark.django_db
def test_public_json_carries_the_text_as_data_never_as_markup(client, world):
    response = client.get(reverse("channels_registry:public_list_json"))
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    text = json.dumps(response.json(), ensure_ascii=False)
    assert SCRIPT.replace('"', '\\"') in text or "alert" in text


@pytest.mark.django_db
def test_embed_widget_shows_the_payload_escaped(client, world):
    body = client.get(reverse("channels_registry:public_embed")).content.decode()
    assert not any(r in body for r in RAW)
    assert all(e in body for e in ESCAPED)


@pytest.mark.django_db
def test_plan_pdf_html_escapes_every_field(world):
    html = plan_pdf_html(ActivityPlan.objects.get(pk=world["own"]["plan"]))
    assert not any(r in html for r in RAW)
    assert all(e in html for e in ESCAPED)


@pytest.mark.django_db
def test_notification_mails_are_plain_text_with_the_text_as_written(
    personas, world, django_capture_on_commit_callbacks
):
    """Mails are text/plain only: markup cannot run, and the reader sees the
    text as written (not as entities)."""
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        escrow_services.access_request_create(
            account_id=world["own"]["account"],
            actor=personas["head"],
            reason=WORLD_TEXT,
        )
    assert mail.outbox, "the information officer is mailed"
    for message in mail.outbox:
        assert not getattr(message, "alternatives", None), "no HTML part"
        assert message.content_subtype == "plain"
        assert WORLD_TEXT in message.body
        assert "&lt;" not in message.body
