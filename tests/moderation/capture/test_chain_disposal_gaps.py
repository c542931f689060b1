"""Disposal leaves a verifiable chain (issue 17): captured objects removed by a
retention decision leave a gap per run of positions, naming the decision and
carrying the hashes at its edges, which the chain check accepts; a gap no
recorded decision explains, and positions removed with no gap at all, are
breaks ``verify_archive`` reports."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection as db
from django.utils import timezone

from archive.disposal import services as disposal
from archive.models import DisposedRecord
from moderation.capture import chain
from moderation.capture.archiving import LABEL
from moderation.capture.models import CapturedObject, CapturedVersion, ChainGap
from moderation.capture.services import poll_connection
from tests.archive.conftest import retention_decision
from tests.moderation.capture import recorded as r

pytestmark = pytest.mark.django_db

POST = r.fb_post("900", "Ett inlägg om badplatsen")


def verify(capsys) -> tuple[bool, str]:
    try:
        call_command("verify_archive")
    except CommandError:
        return False, capsys.readouterr().out
    return True, capsys.readouterr().out


@pytest.fixture
def aged(rsps, facebook):
    """Three years ago: the post and two comments (positions 1-3). Today: a
    third comment on the same post (position 4)."""
    old = [r.fb_comment("900_1", "Fint vatten"), r.fb_comment("900_2", "Kallt i år")]
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3 * 365 + 10)):
        r.facebook_page(rsps, [POST], {POST["id"]: old}, [])
        poll_connection(connection_id=facebook.pk)
    rsps.reset()
    r.facebook_page(rsps, [POST], {POST["id"]: [*old, r.fb_comment("900_3", "Badade i går")]}, [])
    poll_connection(connection_id=facebook.pk)
    return facebook.account


def test_a_disposal_leaves_gaps_the_chain_check_accepts(aged, registrar, capsys):
    positions = dict(
        CapturedVersion.objects.filter(account=aged).values_list("captured__platform_id", "seq")
    )
    assert positions == {POST["id"]: 1, "900_1": 2, "900_2": 3, "900_3": 4}
    decision = retention_decision(registrar, LABEL, years=2)
    entry = disposal.disposal_run(decision_id=decision.pk, actor=registrar)

    # The old comments went; the post stays while today's comment points to it.
    assert set(CapturedObject.objects.values_list("platform_id", flat=True)) == {
        POST["id"],
        "900_3",
    }
    assert entry.record_count == 2 and entry.kept_back == 1
    gaps = list(ChainGap.objects.filter(account=aged).order_by("first_seq"))
    assert [(g.first_seq, g.last_seq, g.platform_id) for g in gaps] == [
        (2, 2, "900_1"),
        (3, 3, "900_2"),
    ]
    assert {(g.removed_by, g.removal_number, g.removal_reference) for g in gaps} == {
        ("disposal", decision.pk, "KS 2025/12")
    }
    kept = dict(CapturedVersion.objects.values_list("seq", "chain_hash"))
    assert gaps[0].enter_hash == kept[1]
    assert CapturedVersion.objects.get(seq=4).prev_hash == gaps[1].leave_hash
    assert set(DisposedRecord.objects.values_list("record_type", flat=True)) == {LABEL}

    ok, out = verify(capsys)
    assert ok, out
    assert "Alla kedjor är obrutna." in out


def test_capture_after_a_disposal_of_the_newest_positions_continues_the_chain(
    rsps, facebook, registrar
):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3 * 365 + 10)):
        r.facebook_page(rsps, [POST], {POST["id"]: [r.fb_comment("900_1", "Fint")]}, [])
        poll_connection(connection_id=facebook.pk)
    disposal.disposal_run(
        decision_id=retention_decision(registrar, LABEL, years=2).pk, actor=registrar
    )
    assert not CapturedVersion.objects.exists()
    rsps.reset()
    later = r.fb_post("901", "Nytt inlägg")
    r.facebook_page(rsps, [later], {later["id"]: []}, [])
    poll_connection(connection_id=facebook.pk)
    version = CapturedVersion.objects.get()
    assert version.seq == 3
    assert version.prev_hash == ChainGap.objects.get(last_seq=2).leave_hash
    assert list(chain.verify_account(facebook.account_id)) == []


def _delete_as_an_attacker(version: CapturedVersion) -> None:
    with db.cursor() as cursor:
        cursor.execute("DELETE FROM moderation_capturedcontent WHERE version_id = %s", [version.pk])
        cursor.execute("DELETE FROM moderation_capturedversion WHERE id = %s", [version.pk])


def test_positions_removed_without_a_decision_are_a_break(aged, capsys):
    version = CapturedVersion.objects.get(captured__platform_id="900_1")
    _delete_as_an_attacker(version)
    ok, out = verify(capsys)
    assert not ok
    assert (
        f"position {version.seq}, objekt okänt: positionen saknas och ingen gallring eller "
        "rensning förklarar det"
    ) in out


def test_a_gap_that_names_no_recorded_decision_is_a_break(aged, registrar, capsys):
    """Someone with database access removes a version and writes a gap with
    correct hashes naming a decision that never disposed of it."""
    version = CapturedVersion.objects.get(captured__platform_id="900_1")
    unrelated = retention_decision(registrar, LABEL, years=30)
    fields = {
        "account_id": aged.pk,
        "first_seq": version.seq,
        "last_seq": version.seq,
        "enter_hash": version.prev_hash,
        "leave_hash": version.chain_hash,
        "record_id": version.captured_id,
        "removed_by": "disposal",
        "removal_number": unrelated.pk,
    }
    _delete_as_an_attacker(version)
    ChainGap.objects.create(**fields, gap_hash=chain.gap_hash(**fields), platform_id="900_1")
    ok, out = verify(capsys)
    assert not ok
    assert (
        f"position {version.seq}, objekt 900_1: luckan förklaras inte av något registrerat "
        "gallringsbeslut eller någon rensning"
    ) in out
