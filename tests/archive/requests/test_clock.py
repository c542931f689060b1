"""The skyndsamt clock across a weekend and Swedish holidays (time-machine):
the limit is one working day on the working-hours clock questions use, the
warning shows the same working day, the compliance finding opens only after
the limit, a pause with its reason moves the deadline, and the finding
resolves when the request is answered."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from archive.requests import clock, services
from archive.requests.models import Assessment
from channels_registry.compliance.engine import run_sweep
from channels_registry.models import Finding
from nora_social.core.errors import ServiceError
from tests.archive.requests.conftest import submit

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
RULE = "records_request_late"


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def open_findings():
    return Finding.objects.filter(rule_code=RULE, resolved_at__isnull=True)


def test_easter_weekend_moves_the_limit_to_tuesday(comment_document, registrar):
    # Thursday before Easter 2026, 16:00: one working hour left that day; Good
    # Friday, the weekend and Easter Monday do not count; due Tuesday 16:00.
    with time_machine.travel(at(2026, 4, 2, 16, 0), tick=False) as traveller:
        request, _token = submit(comment_document.reference)
        services.take(actor=registrar, request=request)
        request.refresh_from_db()
        assert clock.due_at(request) == at(2026, 4, 7, 16, 0)
        assert clock.state(request) == "today"

        traveller.move_to(at(2026, 4, 6, 12, 0))  # Easter Monday
        assert clock.state(request) == "ok"
        assert clock.hours_since_receipt(request) == 92
        run_sweep(codes=[RULE])
        assert not open_findings().exists()

        traveller.move_to(at(2026, 4, 7, 15, 59))
        assert clock.state(request) == "today"
        run_sweep(codes=[RULE])
        assert not open_findings().exists()

        traveller.move_to(at(2026, 4, 7, 16, 1))
        assert clock.state(request) == "late"
        run_sweep(codes=[RULE])
        finding = open_findings().get()
        assert finding.account is None and request.case.reference in finding.message
        assert "2026-04-07 16:00" in finding.message

        # Answered: the finding resolves on the next sweep; the clock stops.
        item = request.documents.get()
        services.assess(actor=registrar, item=item, assessment=Assessment.PUBLIC)
        services.hand_out(actor=registrar, request=request)
        run_sweep(codes=[RULE])
        assert not open_findings().exists()
        request.refresh_from_db()
        assert clock.state(request) == "done"
        assert clock.hours_since_receipt(request) == 120


def test_a_saturday_request_is_due_monday_evening(comment_document):
    with time_machine.travel(at(2026, 12, 5, 10, 0), tick=False):
        request, _token = submit(comment_document.reference)
        assert clock.due_at(request) == at(2026, 12, 7, 17, 0)
        assert clock.state(request) == "ok"  # no warning on a day the office is closed


def test_midsummer_eve_is_not_a_working_day(comment_document):
    # Thursday 18 June 2026 at 15:00; midsummer eve (Friday) and the weekend
    # do not count: two hours on Thursday, seven on Monday.
    with time_machine.travel(at(2026, 6, 18, 15, 0), tick=False):
        request, _token = submit(comment_document.reference)
        assert clock.due_at(request) == at(2026, 6, 22, 15, 0)


def test_a_pause_needs_a_reason_and_moves_the_limit(comment_document, registrar, settings):
    settings.RECORDS_REQUEST_LIMIT_WORKING_DAYS = 1
    with time_machine.travel(at(2026, 12, 7, 9, 0), tick=False) as traveller:
        request, _token = submit(comment_document.reference)
        services.take(actor=registrar, request=request)
        with pytest.raises(ServiceError) as refused:
            services.pause(actor=registrar, request=request, reason=" ")
        assert "reason" in refused.value.errors
        services.pause(
            actor=registrar, request=request, reason="Väntar på att den som begär preciserar sig"
        )
        traveller.move_to(at(2026, 12, 8, 9, 0))
        request.refresh_from_db()
        assert clock.state(request) == "paused"
        run_sweep(codes=[RULE])
        assert not open_findings().exists()
        request = services.resume(actor=registrar, request=request)
        # Paused Monday 09:00 to Tuesday 09:00: nine working hours (08–17 and
        # 08–09), so the limit moves from Tuesday 09:00 to Wednesday 09:00.
        assert clock.due_at(request) == at(2026, 12, 9, 9, 0)
        assert [p.resumed for p in request.pauses.all()] == [False, True]


def test_a_pause_over_easter_moves_the_limit_by_working_hours_only(comment_document, registrar):
    # In on Thursday before Easter 2026 at 15:00, due Tuesday 15:00 (two hours
    # on Thursday, seven on Tuesday). Paused Thursday 16:00 to Tuesday 09:00:
    # Good Friday, the weekend and Easter Monday do not count, only Thursday
    # 16–17 and Tuesday 08–09, so the limit moves two working hours, to Tuesday
    # 17:00 (not four calendar days and seventeen hours).
    with time_machine.travel(at(2026, 4, 2, 15, 0), tick=False) as traveller:
        request, _token = submit(comment_document.reference)
        services.take(actor=registrar, request=request)
        request.refresh_from_db()
        assert clock.due_at(request) == at(2026, 4, 7, 15, 0)
        traveller.move_to(at(2026, 4, 2, 16, 0))
        services.pause(actor=registrar, request=request, reason="Väntar på precisering")
        traveller.move_to(at(2026, 4, 6, 12, 0))  # Easter Monday, still paused
        request.refresh_from_db()
        assert clock.due_at(request) == at(2026, 4, 7, 16, 0)
        traveller.move_to(at(2026, 4, 7, 9, 0))
        request = services.resume(actor=registrar, request=request)
        assert request.paused_seconds == 2 * 3600
        assert clock.due_at(request) == at(2026, 4, 7, 17, 0)
        traveller.move_to(at(2026, 4, 7, 16, 30))
        assert clock.state(request) == "today"
        run_sweep(codes=[RULE])
        assert not open_findings().exists()
        traveller.move_to(at(2026, 4, 7, 17, 1))
        assert clock.state(request) == "late"
        run_sweep(codes=[RULE])
        assert open_findings().exists()


def test_a_pause_over_a_weekend_counts_friday_and_monday_hours(comment_document, registrar):
    # Paused Friday 4 December 2026 at 16:30 to Monday 7 December at 08:30:
    # one working hour (Friday 16:30–17, Monday 08–08:30).
    with time_machine.travel(at(2026, 12, 4, 10, 0), tick=False) as traveller:
        request, _token = submit(comment_document.reference)
        services.take(actor=registrar, request=request)
        traveller.move_to(at(2026, 12, 4, 16, 30))
        services.pause(actor=registrar, request=request, reason="Väntar på svar")
        traveller.move_to(at(2026, 12, 7, 8, 30))
        request = services.resume(actor=registrar, request=request)
        assert request.paused_seconds == 3600
        # Due Monday 10:00 without the pause (7 h Friday, 2 h Monday); 11:00 with it.
        assert clock.due_at(request) == at(2026, 12, 7, 11, 0)
