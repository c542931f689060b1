"""Tamper evidence: each account's versions form a SHA-256 chain the nightly
check verifies; the raw exchanges are WARC files that open with warcio and
hold no token."""

from pathlib import Path

from django.conf import settings
from django.db import connection as db

from moderation.capture.chain import GENESIS, verify_account, verify_all
from moderation.capture.models import CapturedVersion, WarcFile
from moderation.capture.services import poll_connection
from moderation.capture.warc import read_records
from tests.moderation.capture import recorded as r
from tests.moderation.capture.conftest import DUMMY_TOKEN

POST = r.fb_post("900", "Ett inlägg")


def _capture(rsps, facebook, comments):
    r.facebook_page(rsps, [POST], {POST["id"]: comments}, [])
    poll_connection(connection_id=facebook.pk)


def test_each_entry_carries_the_previous_hash_and_the_chain_verifies(rsps, facebook):
    _capture(rsps, facebook, [r.fb_comment("900_1", "a"), r.fb_comment("900_2", "b")])
    versions = list(CapturedVersion.objects.filter(account=facebook.account).order_by("seq"))
    assert [v.seq for v in versions] == [1, 2, 3]
    assert versions[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.chain_hash for a, b in zip(versions, versions[1:], strict=False))
    assert list(verify_account(facebook.account_id)) == []


def _without_trigger(table: str, sql: str, params) -> None:  # noqa: ARG001 - names the target
    # As a superuser at the database's shell could: triggers off, then the change.
    with db.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_the_check_detects_one_changed_byte_of_content(rsps, facebook):
    _capture(rsps, facebook, [r.fb_comment("900_1", "Kommunen är bäst")])
    version = CapturedVersion.objects.get(captured__platform_id="900_1")
    _without_trigger(
        "moderation_capturedcontent",
        "UPDATE moderation_capturedcontent SET text = %s WHERE version_id = %s",
        ["Kommunen är bäsT", version.pk],
    )
    problems = verify_all()
    assert [(p.seq, p.what) for p in problems] == [(version.seq, "content changed")]


def test_the_check_detects_a_changed_state_and_a_removed_entry(rsps, facebook):
    _capture(rsps, facebook, [r.fb_comment("900_1", "a"), r.fb_comment("900_2", "b")])
    first = CapturedVersion.objects.get(captured__platform_id="900_1")
    _without_trigger(
        "moderation_capturedversion",
        "UPDATE moderation_capturedversion SET state = 'hidden' WHERE id = %s",
        [first.pk],
    )
    assert any(p.what == "entry changed" for p in verify_account(facebook.account_id))


def test_updates_are_refused_by_the_database(rsps, facebook):
    import pytest
    from django.db import DatabaseError, transaction

    _capture(rsps, facebook, [r.fb_comment("900_1", "a")])
    with pytest.raises(DatabaseError), transaction.atomic():
        CapturedVersion.objects.filter(captured__platform_id="900_1").update(state="gone")


def test_the_warc_file_opens_with_warcio_and_holds_no_token(rsps, facebook):
    _capture(rsps, facebook, [r.fb_comment("900_1", "Hej")])
    warc = WarcFile.objects.get(connection=facebook)
    path = Path(settings.MEDIA_ROOT) / warc.path
    records = read_records(path)
    assert {kind for kind, _, _ in records} == {"request", "response"}
    assert warc.records == len(records)
    responses_ = [payload for kind, _, payload in records if kind == "response"]
    assert any(b'"900_1"' in p for p in responses_)
    raw = path.read_bytes()
    import gzip

    assert DUMMY_TOKEN.encode() not in gzip.decompress(raw)
    assert all("REDACTED" in uri for _, uri, _ in records if "access_token" in uri)


def test_the_nightly_command_exits_non_zero_on_a_broken_chain(rsps, facebook):
    import pytest
    from django.core.management import CommandError, call_command

    _capture(rsps, facebook, [r.fb_comment("900_1", "Hej")])
    call_command("verify_capture_chain")
    version = CapturedVersion.objects.get(captured__platform_id="900_1")
    _without_trigger(
        "moderation_capturedcontent",
        "UPDATE moderation_capturedcontent SET raw = '{}'::jsonb WHERE version_id = %s",
        [version.pk],
    )
    with pytest.raises(CommandError):
        call_command("verify_capture_chain")
