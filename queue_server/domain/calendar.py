"""Opening hours, working days and the issuing cut-off of one hall (DOMAIN.md, Opening hours).

All arithmetic is done on local dates and times in the hall's own time zone, never on UTC
offsets, so the daily number reset and the working-day deadlines follow the hall's midnight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# DOMAIN.md: working days 09:00-12:00 and 14:00-18:00 ("早九晚六").
DEFAULT_SESSIONS: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(14), time(18)))
DEFAULT_WORKING_WEEKDAYS: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO: Monday=1
END_OF_DAY = time(23, 59, 59, 999999)


class HallState(StrEnum):
    OPEN = "open"
    PAST_CUTOFF = "past_cutoff"
    BETWEEN_SESSIONS = "between_sessions"
    CLOSED_TODAY = "closed_today"
    BEFORE_OPENING = "before_opening"
    AFTER_CLOSING = "after_closing"


@dataclass(frozen=True)
class HallStatus:
    state: HallState
    next_opening: datetime | None

    @property
    def is_open(self) -> bool:
        return self.state is HallState.OPEN

    @property
    def can_issue(self) -> bool:
        return self.state is HallState.OPEN


@dataclass(frozen=True)
class HallCalendar:
    timezone: str = "Asia/Shanghai"
    sessions: tuple[tuple[time, time], ...] = DEFAULT_SESSIONS
    working_weekdays: frozenset[int] = DEFAULT_WORKING_WEEKDAYS
    holidays: frozenset[date] = field(default_factory=frozenset)
    # 调休: weekend days that are working days because a holiday was moved.
    makeup_working_days: frozenset[date] = field(default_factory=frozenset)
    # Years whose holidays and make-up days are known for certain (the national arrangement
    # is published, or the hall entered it); None when the hall lists every day itself.
    confirmed_years: frozenset[int] | None = None
    # No new tickets this many minutes before the day's last closing time.
    issue_cutoff_minutes: int = 30

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise ValueError("instants must be timezone-aware")
        return instant.astimezone(self.zone)

    def business_day(self, instant: datetime) -> date:
        """The hall's local calendar date: tickets are numbered per this day."""
        return self.local(instant).date()

    def is_working_day(self, day: date) -> bool:
        if day in self.makeup_working_days:
            return True
        if day in self.holidays:
            return False
        return day.isoweekday() in self.working_weekdays

    def is_provisional(self, year: int) -> bool:
        """True when `year`'s holidays are only the statutory days, not the published
        arrangement: its moved holidays and make-up working days may be missing."""
        return self.confirmed_years is not None and year not in self.confirmed_years

    def provisional_years(self, today: date, ahead_days: int = 60) -> list[int]:
        """The years from `today` to `ahead_days` later (deadlines and bookings reach that
        far) whose arrangement is not known yet."""
        years = range(today.year, (today + timedelta(days=ahead_days)).year + 1)
        return [year for year in years if self.is_provisional(year)]

    def next_working_day(self, day: date) -> date:
        candidate = day + timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(candidate):
                return candidate
            candidate += timedelta(days=1)
        raise ValueError("no working day within 400 days; check the hall calendar")

    def add_working_days(self, day: date, count: int) -> date:
        """The date `count` working days after `day` (a promised case's deadline)."""
        if count < 0:
            raise ValueError("count must not be negative")
        result = day
        for _ in range(count):
            result = self.next_working_day(result)
        return result

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        days = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                days += 1
        return days

    def working_days_left(self, today: date, deadline: date) -> int:
        """Working days from `today` to `deadline`: 0 when due today, negative once overdue
        (by as many working days as a conclusion today would be counted overdue)."""
        if deadline < today:
            return -self.working_days_between(deadline, today)
        return self.working_days_between(today, deadline)

    def at(self, day: date, clock_time: time) -> datetime:
        return datetime.combine(day, clock_time, tzinfo=self.zone)

    def session_bounds(self, day: date) -> list[tuple[datetime, datetime]]:
        bounds: list[tuple[datetime, datetime]] = []
        for start, end in self.sessions:
            end_dt = (
                datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
                if end == END_OF_DAY
                else datetime.combine(day, end, tzinfo=self.zone)
            )
            bounds.append((datetime.combine(day, start, tzinfo=self.zone), end_dt))
        return bounds

    def closing_time(self, day: date) -> datetime | None:
        if not self.is_working_day(day):
            return None
        return self.session_bounds(day)[-1][1]

    def issue_cutoff(self, day: date) -> datetime | None:
        closing = self.closing_time(day)
        if closing is None:
            return None
        return closing - timedelta(minutes=self.issue_cutoff_minutes)

    def status(self, instant: datetime) -> HallStatus:
        local = self.local(instant)
        day = local.date()
        if not self.is_working_day(day):
            return HallStatus(HallState.CLOSED_TODAY, self.next_opening(instant))
        bounds = self.session_bounds(day)
        for start, end in bounds:
            if start <= local < end:
                cutoff = self.issue_cutoff(day)
                if cutoff is not None and local >= cutoff and end == bounds[-1][1]:
                    return HallStatus(HallState.PAST_CUTOFF, self.next_opening(instant))
                return HallStatus(HallState.OPEN, None)
        if local < bounds[0][0]:
            return HallStatus(HallState.BEFORE_OPENING, bounds[0][0])
        if local >= bounds[-1][1]:
            return HallStatus(HallState.AFTER_CLOSING, self.next_opening(instant))
        return HallStatus(HallState.BETWEEN_SESSIONS, self.next_opening(instant))

    def is_within_hours(self, instant: datetime) -> bool:
        """True inside a session, cut-off or not (a window must be attended then)."""
        local = self.local(instant)
        if not self.is_working_day(local.date()):
            return False
        return any(start <= local < end for start, end in self.session_bounds(local.date()))

    def next_opening(self, instant: datetime) -> datetime | None:
        local = self.local(instant)
        day = local.date()
        for _ in range(400):
            if self.is_working_day(day):
                for start, _end in self.session_bounds(day):
                    if start > local:
                        return start
            day += timedelta(days=1)
        return None
