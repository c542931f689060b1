"""``verify_archive`` checks each account's chain of captured versions besides
the stored files (issue 17): one changed byte of a stored version, made by
someone with database access who bypassed the append-only trigger, is named by
account, position and object in Swedish, and the command exits non-zero."""

import pytest
from django.core.management import CommandError, call_command

from moderation.capture.models import CapturedVersion
from moderation.capture.services import poll_connection
from tests.moderation.capture import recorded as r
from tests.moderation.capture.test_chain_and_warc import _without_trigger

pytestmark = pytest.mark.django_db

POST = r.fb_post("900", "Ett inlägg")


def verify(capsys) -> tuple[bool, str]:
    try:
        call_command("verify_archive")
    except CommandError:
        return False, capsys.readouterr().out
    return True, capsys.readouterr().out


@pytest.fixture
def captured(rsps, facebook):
    comments = [r.fb_comment("900_1", "Kommunen är bäst"), r.fb_comment("900_2", "Bra")]
    r.facebook_page(rsps, [POST], {POST["id"]: comments}, [])
    poll_connection(connection_id=facebook.pk)
    return CapturedVersion.objects.get(captured__platform_id="900_1")


def test_an_unbroken_chain_passes(captured, capsys):
    ok, out = verify(capsys)
    assert ok, out
    assert "Kedjekontroll, Hämtade inlägg, kommentarer och meddelanden: 0 brott" in out
    assert "Alla kedjor är obrutna." in out


def test_one_changed_byte_of_a_stored_version_is_named_and_fails(captured, facebook, capsys):
    _without_trigger(
        "moderation_capturedcontent",
        "UPDATE moderation_capturedcontent SET text = %s WHERE version_id = %s",
        ["Kommunen är bäsT", captured.pk],
    )
    ok, out = verify(capsys)
    assert not ok
    account = facebook.account
    assert (
        f"Brott i kedjan: konto {account.pk} ({account.display_name}), position {captured.seq}, "
        "objekt 900_1: innehållet har ändrats"
    ) in out
    assert "Kommunen är bäs" not in out  # no content in the report


def test_a_changed_version_row_breaks_the_chain_at_its_position(captured, facebook, capsys):
    _without_trigger(
        "moderation_capturedversion",
        "UPDATE moderation_capturedversion SET state = 'hidden' WHERE id = %s",
        [captured.pk],
    )
    ok, out = verify(capsys)
    assert not ok
    assert f"position {captured.seq}, objekt 900_1: posten i kedjan har ändrats" in out
