"""Opening hours, holidays, make-up days and the issuing cut-off (DOMAIN.md, Opening hours)."""

from __future__ import annotations

from datetime import date

from queue_server.domain.calendar import HallCalendar, HallState
from tests.support.factories import local

CAL = HallCalendar(
    holidays=frozenset({date(2026, 10, 1), date(2026, 10, 2)}),
    makeup_working_days=frozenset({date(2026, 10, 10)}),  # a Saturday
)


def test_it_is_open_in_the_morning_and_afternoon_sessions() -> None:
    assert CAL.status(local(2026, 11, 25, 9, 0)).state is HallState.OPEN
    assert CAL.status(local(2026, 11, 25, 11, 59)).state is HallState.OPEN
    assert CAL.status(local(2026, 11, 25, 14, 0)).state is HallState.OPEN


def test_it_is_closed_over_lunch_and_says_when_it_reopens() -> None:
    status = CAL.status(local(2026, 11, 25, 12, 30))
    assert status.state is HallState.BETWEEN_SESSIONS
    assert status.next_opening == local(2026, 11, 25, 14, 0)


def test_it_stops_issuing_thirty_minutes_before_closing() -> None:
    assert CAL.status(local(2026, 11, 25, 17, 29)).state is HallState.OPEN
    assert CAL.status(local(2026, 11, 25, 17, 30)).state is HallState.PAST_CUTOFF
    assert CAL.is_within_hours(local(2026, 11, 25, 17, 45))


def test_it_is_closed_at_weekends_holidays_but_open_on_make_up_days() -> None:
    assert CAL.status(local(2026, 11, 28, 10, 0)).state is HallState.CLOSED_TODAY  # Saturday
    assert CAL.status(local(2026, 10, 1, 10, 0)).state is HallState.CLOSED_TODAY  # National Day
    assert CAL.status(local(2026, 10, 10, 10, 0)).state is HallState.OPEN  # 调休 Saturday


def test_next_opening_skips_weekend_and_holidays() -> None:
    friday_evening = local(2026, 9, 30, 19, 0)
    assert CAL.status(friday_evening).next_opening == local(2026, 10, 5, 9, 0)


def test_business_day_follows_local_midnight_not_utc() -> None:
    # 23:59 and 00:01 in Shanghai are 15:59 and 16:01 UTC on the same UTC date.
    assert CAL.business_day(local(2026, 11, 25, 23, 59)) == date(2026, 11, 25)
    assert CAL.business_day(local(2026, 11, 26, 0, 1)) == date(2026, 11, 26)


def test_working_day_deadlines_skip_weekends_and_holidays() -> None:
    assert CAL.add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)  # Fri -> Mon
    assert CAL.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 5)
    assert CAL.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)  # make-up Saturday
    assert CAL.working_days_between(date(2026, 11, 27), date(2026, 12, 2)) == 3
