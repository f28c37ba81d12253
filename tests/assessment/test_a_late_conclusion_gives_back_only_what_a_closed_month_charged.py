"""The correction rule for a conclusion recorded after months were closed: each closed month
gives back the overdue working days it charged for the case as still open that the
conclusion day shows were not overdue; months closed after the recording owe nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from queue_server.domain.assessment.corrections import (
    closed_when_recorded,
    overdue_days_taken_back,
)


def weekdays_between(start: date, end: date) -> int:
    """Working days after `start` up to `end` (a plain Monday-Friday week)."""
    days, current = 0, start
    while current < end:
        current += timedelta(days=1)
        days += current.weekday() < 5
    return days


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


CLOSED = {"2026-10": at(2026, 11, 2), "2026-11": at(2026, 12, 1)}


def test_on_time_recorded_after_two_closings_gives_back_both_months() -> None:
    # due and concluded Fri 30 Oct, recorded 2 Dec: October charged nothing (31 Oct is a
    # Saturday), November charged all its 21 working days
    back = overdue_days_taken_back(
        weekdays_between, date(2026, 10, 30), date(2026, 10, 30), at(2026, 12, 2), CLOSED
    )
    assert back == {"2026-11": 21}


def test_late_conclusion_gives_back_only_the_days_after_it() -> None:
    # due Tue 24 Nov, concluded Thu 26 Nov (2 days late), recorded 3 Dec after November
    # closed: November charged 25, 26, 27, 30 Nov = 4, owed 2
    back = overdue_days_taken_back(
        weekdays_between, date(2026, 11, 24), date(2026, 11, 26), at(2026, 12, 3), CLOSED
    )
    assert back == {"2026-11": 2}


def test_recorded_before_the_month_closed_owes_nothing() -> None:
    back = overdue_days_taken_back(
        weekdays_between, date(2026, 11, 24), date(2026, 11, 26), at(2026, 11, 30), CLOSED
    )
    assert back == {}


def test_an_entry_is_late_only_when_its_month_closed_before_it_was_recorded() -> None:
    assert closed_when_recorded(date(2026, 11, 20), at(2026, 12, 2), CLOSED) == "2026-11"
    assert closed_when_recorded(date(2026, 11, 20), at(2026, 11, 30), CLOSED) is None
    assert closed_when_recorded(date(2026, 12, 1), at(2026, 12, 2), CLOSED) is None
