"""Attendance of a clerk at a window against the hall's opening hours (DOMAIN.md, 勤 diligence:
late, early leave or off post costs points; a window must never be left unattended).

A sign-in is on time up to the first minute of the session it is for (clocks differ by
seconds, the regulation by minutes; a hall may allow more, `late_after_minutes`); after that
it is late by the minutes since the session began. A sign-out inside a session, more than a
minute before its end, is an early leave. Outside opening hours neither counts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from queue_server.domain.calendar import HallCalendar

TOLERANCE = timedelta(minutes=1)


class Attendance(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    EARLY_LEAVE = "early_leave"
    OUTSIDE_HOURS = "outside_hours"  # not a working day, or after the last session


@dataclass(frozen=True)
class Classified:
    attendance: Attendance
    minutes: int = 0  # late by / left early by
    session_start: datetime | None = None
    session_end: datetime | None = None


def _minutes(delta: timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds() / 60))


def classify_sign_in(
    calendar: HallCalendar, instant: datetime, late_after: timedelta = TOLERANCE
) -> Classified:
    """On time up to `late_after` into the session (the hall's `late_after_minutes`)."""
    local = calendar.local(instant)
    day = local.date()
    if not calendar.is_working_day(day):
        return Classified(Attendance.OUTSIDE_HOURS)
    for start, end in calendar.session_bounds(day):
        if local >= end:
            continue
        if local < start + late_after:
            return Classified(Attendance.ON_TIME, 0, start, end)
        return Classified(Attendance.LATE, _minutes(local - start), start, end)
    return Classified(Attendance.OUTSIDE_HOURS)


def classify_sign_out(calendar: HallCalendar, instant: datetime) -> Classified:
    local = calendar.local(instant)
    day = local.date()
    if not calendar.is_working_day(day):
        return Classified(Attendance.OUTSIDE_HOURS)
    for start, end in calendar.session_bounds(day):
        if start <= local < end - TOLERANCE:
            return Classified(Attendance.EARLY_LEAVE, _minutes(end - local), start, end)
        if start <= local < end:
            return Classified(Attendance.ON_TIME, 0, start, end)
    return Classified(Attendance.ON_TIME)
