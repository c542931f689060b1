"""§5: the response-time clock, in calendar hours or in working hours
(Monday–Friday 08–17, Europe/Stockholm, not on Swedish public holidays)."""

import datetime

import pytest

from moderation.clock import STOCKHOLM, add_working_hours, due_at, is_working_day


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=STOCKHOLM)


def test_calendar_hours_run_through_night_and_weekend():
    friday_evening = at(2026, 11, 27, 20, 0)
    assert due_at(friday_evening, 24, "calendar") == at(2026, 11, 28, 20, 0)


def test_working_hours_within_one_day():
    assert add_working_hours(at(2026, 11, 24, 9, 0), 4) == at(2026, 11, 24, 13, 0)


def test_working_hours_skip_the_weekend():
    # Friday 16:00 + 2 working hours: one hour on Friday, one on Monday.
    assert add_working_hours(at(2026, 11, 27, 16, 0), 2) == at(2026, 11, 30, 9, 0)


def test_question_received_on_saturday_starts_the_clock_on_monday_morning():
    assert due_at(at(2026, 11, 28, 12, 0), 24, "working") == at(2026, 12, 2, 14, 0)


def test_question_received_before_opening_starts_at_eight():
    assert add_working_hours(at(2026, 11, 24, 6, 30), 1) == at(2026, 11, 24, 9, 0)


def test_national_day_on_a_weekday_is_not_a_working_day():
    # 6 June 2025 (Sveriges nationaldag) is a Friday.
    assert not is_working_day(datetime.date(2025, 6, 6))
    thursday = at(2025, 6, 5, 16, 0)
    assert add_working_hours(thursday, 2) == at(2025, 6, 9, 9, 0)


def test_easter_skips_good_friday_and_easter_monday():
    # Maundy Thursday 2 April 2026 at 16:00; Good Friday 3 April and Easter
    # Monday 6 April are holidays, so the next working hour is Tuesday 7 April.
    assert add_working_hours(at(2026, 4, 2, 16, 0), 3) == at(2026, 4, 7, 10, 0)


def test_christmas_and_midsummer_eves_are_days_off():
    assert not is_working_day(datetime.date(2026, 12, 24))
    assert not is_working_day(datetime.date(2026, 6, 19))
    assert add_working_hours(at(2026, 12, 23, 15, 0), 8) == at(2026, 12, 28, 14, 0)


def test_ordinary_weekday_is_a_working_day_and_sunday_is_not():
    assert is_working_day(datetime.date(2026, 11, 24))
    assert not is_working_day(datetime.date(2026, 11, 29))


def test_working_clock_is_in_stockholm_time_across_daylight_saving():
    # 27 March 2026 is a Friday; clocks go forward on Sunday 29 March.
    utc = datetime.UTC
    received = datetime.datetime(2026, 3, 27, 15, 0, tzinfo=utc)  # 16:00 CET
    due = due_at(received, 2, "working")
    assert due.astimezone(STOCKHOLM) == at(2026, 3, 30, 9, 0)
    assert due.astimezone(utc).hour == 7  # 09:00 CEST


@pytest.mark.parametrize("hours", [1, 9, 10, 45])
def test_working_clock_never_ends_outside_working_hours(hours):
    due = add_working_hours(at(2026, 11, 26, 13, 17), hours)
    assert is_working_day(due.date())
    assert datetime.time(8, 0) <= due.time() <= datetime.time(17, 0)
