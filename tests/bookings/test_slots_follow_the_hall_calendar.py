"""Slots: inside the opening sessions, never across the lunch break, on working days only,
up to the horizon of working days (at least the next one)."""

from __future__ import annotations

from datetime import date, time

from queue_server.domain.appointments import (
    AppointmentRules,
    bookable_days,
    bookable_slots,
    day_slots,
)
from queue_server.domain.calendar import HallCalendar
from tests.support.factories import local

CALENDAR = HallCalendar(
    holidays=frozenset({date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5)}),
    makeup_working_days=frozenset({date(2026, 10, 10)}),
)


def starts(slots: list) -> list[str]:
    return [f"{s.start:%H:%M}-{s.end:%H:%M}" for s in slots]


def test_hour_slots_skip_the_lunch_break() -> None:
    slots = day_slots(CALENDAR, date(2026, 11, 25), 60)
    assert starts(slots) == [
        "09:00-10:00",
        "10:00-11:00",
        "11:00-12:00",
        "14:00-15:00",
        "15:00-16:00",
        "16:00-17:00",
        "17:00-18:00",
    ]


def test_a_slot_never_crosses_the_end_of_a_session() -> None:
    slots = day_slots(CALENDAR, date(2026, 11, 25), 90)
    assert starts(slots) == ["09:00-10:30", "10:30-12:00", "14:00-15:30", "15:30-17:00"]
    for slot in slots:
        assert not (slot.start.time() < time(12) < slot.end.time())


def test_closed_days_have_no_slots() -> None:
    assert day_slots(CALENDAR, date(2026, 11, 28), 60) == []  # Saturday
    assert day_slots(CALENDAR, date(2026, 10, 1), 60) == []  # National Day
    assert len(day_slots(CALENDAR, date(2026, 10, 10), 60)) == 7  # 调休: a working Saturday


def test_the_horizon_counts_working_days() -> None:
    rules = AppointmentRules(horizon_working_days=5)
    # Friday 25 Sep 2026: the next working days skip the weekend and the holidays.
    days = bookable_days(CALENDAR, rules, local(2026, 9, 25, 10, 0))
    assert days == [
        date(2026, 9, 25),
        date(2026, 9, 28),
        date(2026, 9, 29),
        date(2026, 9, 30),
        date(2026, 10, 6),
        date(2026, 10, 7),
    ]


def test_at_least_the_next_working_day_is_bookable_on_a_closed_day() -> None:
    rules = AppointmentRules(horizon_working_days=1)
    # Thursday 1 October, a holiday: the next working day is Tuesday 6 October.
    assert bookable_days(CALENDAR, rules, local(2026, 10, 1, 10, 0)) == [date(2026, 10, 6)]


def test_slots_that_have_started_are_not_offered() -> None:
    rules = AppointmentRules(horizon_working_days=1)
    slots = bookable_slots(CALENDAR, rules, local(2026, 11, 25, 14, 0))
    first = slots[0]
    assert (f"{first.start:%Y-%m-%d %H:%M}") == "2026-11-25 15:00"
    assert f"{slots[-1].start:%Y-%m-%d %H:%M}" == "2026-11-26 17:00"
