"""On time, late and early leave against the hall's sessions (09:00-12:00, 14:00-18:00)."""

from __future__ import annotations

from queue_server.domain.attendance import Attendance, classify_sign_in, classify_sign_out
from queue_server.domain.calendar import HallCalendar
from tests.support.factories import local

CAL = HallCalendar()


def test_signing_in_before_a_session_or_in_its_first_minute_is_on_time() -> None:
    assert classify_sign_in(CAL, local(2026, 11, 25, 8, 45)).attendance is Attendance.ON_TIME
    assert classify_sign_in(CAL, local(2026, 11, 25, 9, 0, 59)).attendance is Attendance.ON_TIME
    assert classify_sign_in(CAL, local(2026, 11, 25, 13, 30)).attendance is Attendance.ON_TIME


def test_signing_in_later_is_late_by_the_minutes_since_the_session_began() -> None:
    late = classify_sign_in(CAL, local(2026, 11, 25, 9, 12))
    assert (late.attendance, late.minutes) == (Attendance.LATE, 12)
    afternoon = classify_sign_in(CAL, local(2026, 11, 25, 14, 5, 30))
    assert (afternoon.attendance, afternoon.minutes) == (Attendance.LATE, 6)


def test_outside_hours_counts_neither_way() -> None:
    assert classify_sign_in(CAL, local(2026, 11, 25, 18, 30)).attendance is (
        Attendance.OUTSIDE_HOURS
    )
    sunday = local(2026, 11, 29, 10, 0)
    assert classify_sign_in(CAL, sunday).attendance is Attendance.OUTSIDE_HOURS
    assert classify_sign_out(CAL, sunday).attendance is Attendance.OUTSIDE_HOURS


def test_signing_out_inside_a_session_is_an_early_leave() -> None:
    early = classify_sign_out(CAL, local(2026, 11, 25, 17, 30))
    assert (early.attendance, early.minutes) == (Attendance.EARLY_LEAVE, 30)
    for on_time in (local(2026, 11, 25, 12, 0), local(2026, 11, 25, 17, 59, 30),
                    local(2026, 11, 25, 18, 10)):  # fmt: skip
        assert classify_sign_out(CAL, on_time).attendance is Attendance.ON_TIME
