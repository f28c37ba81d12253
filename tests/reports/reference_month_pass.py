"""The month pass as it was before it was made fast (4 December 2026), kept as the reference
the fast pass must equal: one `EventRecord` at a time, every payload decoded, each leg's counts
added to the total, its service, window and clerk one by one; the month's rows read as
SQLAlchemy rows and the ratings as ORM-typed values; the estimates' accuracy from its own two
queries (`month_quality`). Only the tests use it (test_the_fast_month_pass_equals_the_reference).

Below the pass, `reference_measures`: ReportService.month_measures as it was, on this pass.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from queue_server.domain.calendar import HallCalendar
from queue_server.domain.events import EventKind
from queue_server.domain.month_measures import (
    AttendanceIncident,
    DayVolume,
    Durations,
    FollowUpFact,
    HourVolume,
    MonthMeasures,
    MonthTotals,
    OutOfOrderCall,
    OverdueCase,
    PauseTotal,
    PromisedCase,
    RatingFact,
    ServiceMeasures,
    StaffMeasures,
    WaitBucket,
    WindowMeasures,
)
from queue_server.domain.rating import BAD, is_overdue

# Pause reasons that take a clerk away from the desk on their own account; the others
# (meeting, backup_cover, training) are the centre's own business.
PERSONAL_PAUSES = frozenset({"break", "other"})
WAIT_EDGES_MINUTES = (0, 5, 10, 15, 20, 30, 45, 60, 90, 120)


class EventRecord(NamedTuple):
    seq: int
    kind: str
    at: datetime
    ticket_id: str | None
    window: int | None
    clerk: str | None
    payload: Mapping[str, Any]


@dataclass(frozen=True)
class ServiceInfo:
    code: str
    name_zh: str
    target_wait_minutes: int


@dataclass(frozen=True)
class WindowInfo:
    number: int
    name_zh: str


@dataclass(frozen=True)
class RatingRow:
    window: int
    clerk: str | None  # user id of who finished the case
    level: str
    reasons: tuple[str, ...]
    day: date


@dataclass(frozen=True)
class FollowUpRow:
    rating_id: str
    window: int
    clerk: str | None
    opened_on: date
    deadline: date
    state: str
    closed_on: date | None


@dataclass(frozen=True)
class CarriedCase:
    """A promised case finished before the month whose deadline reaches into it."""

    ticket_id: str
    number: str
    service: str
    window: int
    clerk: str | None
    finished_on: date
    deadline: date
    finish_seq: int
    concluded_on: date | None = None
    concluded_seq: int | None = None


@dataclass(frozen=True)
class MeasureRules:
    # A personal pause longer than this inside opening hours is off post (脱岗) for the excess.
    off_post_pause_minutes: int = 30
    # A window empty inside opening hours for at least this long is unattended (DOMAIN.md).
    unattended_grace_minutes: int = 5


@dataclass(frozen=True)
class MonthContext:
    hall_id: str
    hall_name_zh: str
    calendar: HallCalendar
    first_day: date
    last_day: date
    as_of: date
    services: list[ServiceInfo]
    windows: list[WindowInfo]
    default_target_wait_minutes: int = 30
    staff_by_user: Mapping[str, str] = field(default_factory=dict)
    ratings: Mapping[str, RatingRow] = field(default_factory=dict)
    follow_ups: list[FollowUpRow] = field(default_factory=list)
    carried_cases: list[CarriedCase] = field(default_factory=list)
    # ticket -> (concluded_on, seq) of every conclusion known now, whenever it was recorded:
    # a case is judged by the day it was concluded, not the day that was entered
    conclusions: Mapping[str, tuple[date, int]] = field(default_factory=dict)
    rules: MeasureRules = MeasureRules()


# ----- accumulators ---------------------------------------------------------------------------


class Tally:
    """Durations in whole seconds: exact count, total and order statistics."""

    __slots__ = ("count", "total", "values")

    def __init__(self) -> None:
        self.count = 0
        self.total = 0
        self.values: Counter[int] = Counter()

    def add(self, seconds: float) -> None:
        value = round(seconds) if seconds > 0 else 0
        self.count += 1
        self.total += value
        values = self.values
        values[value] = values.get(value, 0) + 1

    def frozen(self) -> Durations:
        if not self.count:
            return Durations()
        ordered = sorted(self.values.items())
        return Durations(
            count=self.count,
            total_seconds=self.total,
            max_seconds=ordered[-1][0],
            median_seconds=_quantile(ordered, self.count, 0.5),
            p90_seconds=_quantile(ordered, self.count, 0.9),
        )


def _nth(ordered: list[tuple[int, int]], index: int) -> int:
    seen = 0
    for value, times in ordered:
        seen += times
        if index < seen:
            return value
    return ordered[-1][0]


def _quantile(ordered: list[tuple[int, int]], count: int, q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    position = q * (count - 1)
    low = int(position)
    low_value = _nth(ordered, low)
    if position == low:
        return float(low_value)
    high_value = _nth(ordered, low + 1)
    return low_value + (high_value - low_value) * (position - low)


class Flow:
    """Ticket counts and durations for one service, window or clerk."""

    __slots__ = (
        "called",
        "cancelled",
        "case_types",
        "handling",
        "hold",
        "issued",
        "no_shows",
        "notices",
        "out_of_order",
        "ratings",
        "recalls",
        "served",
        "transferred_in",
        "transferred_out",
        "waiting",
        "walking",
        "within_target",
    )

    def __init__(self) -> None:
        self.issued = self.transferred_in = self.called = self.served = 0
        self.no_shows = self.cancelled = self.transferred_out = self.recalls = 0
        self.out_of_order = self.notices = self.within_target = 0
        self.waiting, self.walking, self.handling, self.hold = Tally(), Tally(), Tally(), Tally()
        self.case_types: Counter[str] = Counter()
        self.ratings: Counter[str] = Counter()


class DayFlow:
    __slots__ = ("cancelled", "issued", "no_shows", "served", "wait_count", "wait_total")

    def __init__(self) -> None:
        self.issued = self.served = self.no_shows = self.cancelled = 0
        self.wait_total = self.wait_count = 0


@dataclass
class Leg:
    service: str
    number: str
    start: datetime
    first: bool
    window: int | None = None
    staff: str | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    held_at: datetime | None = None


@dataclass
class Promised:
    ticket_id: str
    number: str
    service: str
    window: int
    staff: str | None
    finished_on: date
    deadline: date
    seqs: list[int]
    concluded_on: date | None = None


@dataclass
class Staffing:
    """Who is at a window now, and the day's staffed stretches."""

    staff: str | None = None
    since: datetime | None = None
    since_seq: int = 0
    paused_at: datetime | None = None
    pause_reason: str | None = None
    pause_staff: str | None = None
    pause_seq: int = 0
    # (start, end, staff, seq at start, seq at end) for the current day
    stretches: list[tuple[datetime, datetime, str | None, int, int]] = field(default_factory=list)


class WindowTime:
    __slots__ = ("agreed", "days", "paused", "staffed", "unattended_minutes")

    def __init__(self) -> None:
        self.days = 0
        self.staffed = 0.0
        self.paused = 0.0
        self.unattended_minutes = 0
        self.agreed = 0.0


class StaffTime:
    __slots__ = ("days", "paused", "windows")

    def __init__(self) -> None:
        self.days: set[date] = set()
        self.windows: set[int] = set()
        self.paused = 0.0


# ----- the pass ---------------------------------------------------------------------------------


class MonthAccumulator:
    """Feed the month's events in sequence order, then call `result()`."""

    def __init__(self, context: MonthContext) -> None:
        self.ctx = context
        self.calendar = context.calendar
        self.targets = {s.code: s.target_wait_minutes * 60 for s in context.services}
        self.events = 0
        self.last_seq = 0
        self.legs: dict[str, Leg] = {}
        self.services: defaultdict[str, Flow] = defaultdict(Flow)
        self.windows: defaultdict[int, Flow] = defaultdict(Flow)
        self.staff: defaultdict[str, Flow] = defaultdict(Flow)
        self.window_time: defaultdict[int, WindowTime] = defaultdict(WindowTime)
        self.staff_time: defaultdict[str, StaffTime] = defaultdict(StaffTime)
        self.total = Flow()
        self.visitor_wait = Tally()
        self.days: defaultdict[date, DayFlow] = defaultdict(DayFlow)
        self.hours: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        self.staffing: defaultdict[int, Staffing] = defaultdict(Staffing)
        self.pauses: defaultdict[tuple[int, str | None, str], list[float]] = defaultdict(
            lambda: [0, 0.0]
        )
        self.attendance: list[AttendanceIncident] = []
        self.out_of_order: list[OutOfOrderCall] = []
        self.ratings: list[RatingFact] = []
        self.promised: dict[str, Promised] = {}
        self.concluded: dict[str, tuple[date, int]] = dict(context.conclusions)
        self.legs_total = 0
        self.visitors = 0
        self.notices = 0
        self._day: date | None = None
        self._day_start: datetime | None = None
        self._day_end: datetime | None = None

    # local day and hour without a time-zone conversion per event
    def _local(self, at: datetime) -> tuple[date, int]:
        day, start, end = self._day, self._day_start, self._day_end
        if day is None or start is None or end is None or not (start <= at < end):
            local = self.calendar.local(at)
            day = local.date()
            if self._day is not None and day != self._day:
                self._close_day(self._day)
            start = datetime.combine(day, datetime.min.time(), tzinfo=self.calendar.zone)
            self._day = day
            self._day_start = start
            self._day_end = datetime.combine(
                day + timedelta(days=1), datetime.min.time(), tzinfo=self.calendar.zone
            )
        hour = int((at - start).total_seconds() // 3600)
        return day, min(23, hour)

    def _staff_of(self, event: EventRecord, window: int | None) -> str | None:
        if event.clerk is not None:
            known = self.ctx.staff_by_user.get(event.clerk)
            if known is not None:
                return known
        if window is not None:
            return self.staffing[window].staff
        return None

    def add(self, event: EventRecord) -> None:
        self.events += 1
        self.last_seq = event.seq
        handler = _HANDLERS.get(event.kind)
        if handler is None:
            raise UnmeasuredKind(f"the month pass has no handler for {event.kind!r}")
        handler(self, event)

    # ----- tickets ----------------------------------------------------------------------

    def _issued(self, event: EventRecord) -> None:
        day, hour = self._local(event.at)
        payload = event.payload
        service = str(payload.get("service", ""))
        assert event.ticket_id is not None
        self.legs[event.ticket_id] = Leg(service, str(payload.get("number", "")), event.at, True)
        self.legs_total += 1
        self.visitors += 1
        self.services[service].issued += 1
        self.days[day].issued += 1
        self.hours[hour][0] += 1

    def _leg(self, event: EventRecord) -> Leg:
        assert event.ticket_id is not None
        leg = self.legs.get(event.ticket_id)
        if leg is None:
            # Issued before the month's first event (a ticket left over a midnight): start
            # from what the call itself says the wait was.
            payload = event.payload
            waited = int(payload.get("waited_seconds", 0))
            leg = Leg(
                str(payload.get("service", "")),
                str(payload.get("number", "")),
                event.at - timedelta(seconds=waited),
                True,
            )
            self.legs[event.ticket_id] = leg
            self.legs_total += 1
        return leg

    def _flows(self, leg: Leg) -> tuple[Flow, ...]:
        flows = [self.total, self.services[leg.service]]
        if leg.window is not None:
            flows.append(self.windows[leg.window])
        if leg.staff is not None:
            flows.append(self.staff[leg.staff])
        return tuple(flows)

    def _called(self, event: EventRecord) -> None:
        day, hour = self._local(event.at)
        leg = self._leg(event)
        leg.window = event.window
        leg.staff = self._staff_of(event, event.window)
        leg.called_at = event.at
        wait = (event.at - leg.start).total_seconds()
        within = wait <= self.targets.get(leg.service, self.ctx.default_target_wait_minutes * 60)
        for flow in self._flows(leg):
            flow.called += 1
            flow.waiting.add(wait)
            flow.within_target += within
        if leg.first:
            self.visitor_wait.add(wait)
            self.days[day].wait_total += max(0, round(wait))
            self.days[day].wait_count += 1
        self.hours[hour][1] += 1
        if event.payload.get("out_of_order"):
            for flow in self._flows(leg):
                flow.out_of_order += 1
            self.out_of_order.append(
                OutOfOrderCall(
                    ticket_id=event.ticket_id or "",
                    number=leg.number,
                    service=leg.service,
                    window=event.window or 0,
                    staff_no=leg.staff,
                    at=event.at,
                    reason=str(event.payload.get("reason", "")),
                    event_seq=event.seq,
                )
            )

    def _recalled(self, event: EventRecord) -> None:
        leg = self._leg(event)
        for flow in self._flows(leg):
            flow.recalls += 1

    def _started(self, event: EventRecord) -> None:
        leg = self._leg(event)
        leg.started_at = event.at
        if leg.called_at is not None:
            for flow in self._flows(leg):
                flow.walking.add((event.at - leg.called_at).total_seconds())

    def _held(self, event: EventRecord) -> None:
        self._leg(event).held_at = event.at

    def _end_hold(self, leg: Leg, at: datetime) -> None:
        if leg.held_at is not None:
            for flow in self._flows(leg):
                flow.hold.add((at - leg.held_at).total_seconds())
            leg.held_at = None

    def _returned(self, event: EventRecord) -> None:
        leg = self._leg(event)
        self._end_hold(leg, event.at)
        if leg.started_at is None:
            leg.started_at = event.at

    def _finished(self, event: EventRecord) -> None:
        day, hour = self._local(event.at)
        leg = self._leg(event)
        payload = event.payload
        case_type = str(payload.get("case_type", ""))
        started = leg.started_at or event.at
        for flow in self._flows(leg):
            flow.served += 1
            flow.handling.add((event.at - started).total_seconds())
            flow.case_types[case_type] += 1
        self.days[day].served += 1
        self.hours[hour][2] += 1
        deadline = payload.get("deadline")
        if case_type == "promised" and deadline and event.ticket_id:
            self.promised[event.ticket_id] = Promised(
                ticket_id=event.ticket_id,
                number=leg.number,
                service=leg.service,
                window=event.window or leg.window or 0,
                staff=leg.staff,
                finished_on=day,
                deadline=date.fromisoformat(str(deadline)),
                seqs=[event.seq],
            )
        self.legs.pop(event.ticket_id or "", None)

    def _no_show(self, event: EventRecord) -> None:
        day, _ = self._local(event.at)
        leg = self._leg(event)
        self._end_hold(leg, event.at)
        for flow in self._flows(leg):
            flow.no_shows += 1
        self.days[day].no_shows += 1
        self.legs.pop(event.ticket_id or "", None)

    def _cancelled(self, event: EventRecord) -> None:
        day, _ = self._local(event.at)
        leg = self._leg(event)
        self._end_hold(leg, event.at)
        for flow in self._flows(leg):
            flow.cancelled += 1
        self.days[day].cancelled += 1
        self.legs.pop(event.ticket_id or "", None)

    def _transferred(self, event: EventRecord) -> None:
        leg = self._leg(event)
        for flow in self._flows(leg):
            flow.transferred_out += 1
        self.legs.pop(event.ticket_id or "", None)
        payload = event.payload
        new_id = payload.get("new_ticket")
        to_service = str(payload.get("to_service") or leg.service)
        if new_id:
            self.legs[str(new_id)] = Leg(to_service, leg.number, event.at, False)
            self.legs_total += 1
            self.services[to_service].transferred_in += 1

    def _notice(self, event: EventRecord) -> None:
        self.notices += 1
        leg = self.legs.get(event.ticket_id or "")
        if leg is not None:
            for flow in self._flows(leg):
                flow.notices += 1

    def _concluded(self, event: EventRecord) -> None:
        value = event.payload.get("concluded_on")
        if not value or not event.ticket_id:
            return
        on = date.fromisoformat(str(value))
        self.concluded[event.ticket_id] = (on, event.seq)
        case = self.promised.get(event.ticket_id)
        if case is not None:
            case.concluded_on = on
            case.seqs.append(event.seq)

    # ----- windows and clerks -----------------------------------------------------------

    def _signed_in(self, event: EventRecord) -> None:
        day, _ = self._local(event.at)
        window = event.window
        if window is None:
            return
        staff = str(event.payload.get("staff_no") or self._staff_of(event, None) or "") or None
        state = self.staffing[window]
        if state.staff is not None and state.since is not None:
            state.stretches.append((state.since, event.at, state.staff, state.since_seq, event.seq))
        state.staff, state.since, state.since_seq = staff, event.at, event.seq
        if staff is not None:
            person = self.staff_time[staff]
            person.days.add(day)
            person.windows.add(window)
            if event.payload.get("attendance") == "late":
                self.attendance.append(
                    AttendanceIncident(
                        staff,
                        window,
                        day,
                        "late",
                        int(event.payload.get("minutes_late", 0)),
                        (event.seq,),
                    )
                )

    def _signed_out(self, event: EventRecord) -> None:
        day, _ = self._local(event.at)
        window = event.window
        if window is None:
            return
        state = self.staffing[window]
        staff = str(event.payload.get("staff_no") or state.staff or "") or None
        if state.since is not None:
            state.stretches.append((state.since, event.at, staff, state.since_seq, event.seq))
        state.staff, state.since = None, None
        if staff is not None and event.payload.get("attendance") == "early_leave":
            self.attendance.append(
                AttendanceIncident(
                    staff,
                    window,
                    day,
                    "early_leave",
                    int(event.payload.get("minutes_early", 0)),
                    (event.seq,),
                )
            )

    def _paused(self, event: EventRecord) -> None:
        self._local(event.at)
        if event.window is None:
            return
        state = self.staffing[event.window]
        state.paused_at = event.at
        state.pause_reason = str(event.payload.get("reason") or "other")
        state.pause_staff = self._staff_of(event, event.window)
        state.pause_seq = event.seq

    def _resumed(self, event: EventRecord) -> None:
        day, _ = self._local(event.at)
        if event.window is None:
            return
        state = self.staffing[event.window]
        if state.paused_at is None:
            return
        self._account_pause(event.window, state, event.at, day, event.seq)

    def _account_pause(
        self, window: int, state: Staffing, end: datetime, day: date, end_seq: int | None
    ) -> None:
        assert state.paused_at is not None
        reason = state.pause_reason or "other"
        inside = self._inside_hours(state.paused_at, end)
        tally = self.pauses[(window, state.pause_staff, reason)]
        tally[0] += 1
        tally[1] += inside
        self.window_time[window].paused += inside
        if state.pause_staff is not None:
            self.staff_time[state.pause_staff].paused += inside
        limit = self.ctx.rules.off_post_pause_minutes * 60
        if reason in PERSONAL_PAUSES and inside > limit and state.pause_staff is not None:
            seqs = (state.pause_seq,) if end_seq is None else (state.pause_seq, end_seq)
            self.attendance.append(
                AttendanceIncident(
                    state.pause_staff,
                    window,
                    day,
                    "off_post",
                    int((inside - limit) // 60),
                    seqs,
                    reason,
                    start=state.paused_at,
                    end=end,
                )
            )
        state.paused_at = None
        state.pause_reason = None
        state.pause_staff = None

    def _rating(self, event: EventRecord) -> None:
        _day, _ = self._local(event.at)
        rating_id = str(event.payload.get("rating", ""))
        row = self.ctx.ratings.get(rating_id)
        if row is None:
            return
        staff = self.ctx.staff_by_user.get(row.clerk) if row.clerk else None
        self.ratings.append(
            RatingFact(
                window=row.window,
                staff_no=staff,
                level=row.level,
                dissatisfied=row.level in BAD,
                event_seq=event.seq,
                day=row.day,
                reasons=row.reasons,
            )
        )
        self.windows[row.window].ratings[row.level] += 1
        self.total.ratings[row.level] += 1
        if staff is not None:
            self.staff[staff].ratings[row.level] += 1

    # ----- day ends ---------------------------------------------------------------------

    def _inside_hours(self, start: datetime, end: datetime) -> float:
        if end <= start:
            return 0.0
        total = 0.0
        day = self.calendar.business_day(start)
        last = self.calendar.business_day(end)
        while day <= last:
            if self.calendar.is_working_day(day):
                for s, e in self.calendar.session_bounds(day):
                    overlap = (min(e, end) - max(s, start)).total_seconds()
                    if overlap > 0:
                        total += overlap
            day += timedelta(days=1)
        return total

    def _close_day(self, day: date) -> None:
        """Windows: close what is still open, measure staffed and unattended time."""
        bounds = self.calendar.session_bounds(day) if self.calendar.is_working_day(day) else []
        closing = bounds[-1][1] if bounds else None
        grace = self.ctx.rules.unattended_grace_minutes * 60
        for window, state in self.staffing.items():
            if state.paused_at is not None and closing is not None:
                self._account_pause(window, state, max(closing, state.paused_at), day, None)
            if state.since is not None and closing is not None:
                # Still signed in at the end of the day: count up to closing, carry on.
                state.stretches.append(
                    (state.since, max(closing, state.since), state.staff, state.since_seq, 0)
                )
                state.since = max(closing, state.since)
            stretches = state.stretches
            state.stretches = []
            if not stretches or not bounds:
                continue
            time = self.window_time[window]
            time.days += 1
            for s, e in bounds:
                time.agreed += (e - s).total_seconds()
            for start, end, _staff, _a, _b in stretches:
                time.staffed += self._inside_hours(start, end)
            for gap_start, gap_end, staff, seqs in _gaps(bounds, stretches):
                seconds = (gap_end - gap_start).total_seconds()
                if seconds < grace:
                    continue
                minutes = int(seconds // 60)
                time.unattended_minutes += minutes
                self.attendance.append(
                    AttendanceIncident(
                        staff,
                        window,
                        day,
                        "unattended",
                        minutes,
                        seqs,
                        start=gap_start,
                        end=gap_end,
                    )
                )

    # ----- result -----------------------------------------------------------------------

    def result(self) -> MonthMeasures:
        if self._day is not None:
            self._close_day(self._day)
            self._day = None
        ctx = self.ctx
        names = {s.code: s for s in ctx.services}
        window_names = {w.number: w.name_zh for w in ctx.windows}
        services = [
            _service_measures(
                code,
                names[code].name_zh if code in names else code,
                self.services[code],
                names[code].target_wait_minutes
                if code in names
                else ctx.default_target_wait_minutes,
            )
            for code in [s.code for s in ctx.services] + sorted(set(self.services) - set(names))
        ]
        window_numbers = sorted(set(window_names) | set(self.windows) | set(self.window_time))
        windows = [
            self._window_measures(n, window_names.get(n, f"{n}号窗口")) for n in window_numbers
        ]
        attendance = sorted(self.attendance, key=lambda i: (i.day, i.window, i.event_seqs))
        staff = [
            self._staff_measures(no, attendance)
            for no in sorted(set(self.staff) | set(self.staff_time))
        ]
        promised, overdue = self._promised_cases()
        follow_ups = [self._follow_up(row) for row in ctx.follow_ups]
        dissatisfied = sum(1 for r in self.ratings if r.dissatisfied)
        total = self.total
        totals = MonthTotals(
            issued=self.visitors,
            legs=self.legs_total,
            called=total.called,
            served=total.served,
            no_shows=total.no_shows,
            cancelled=total.cancelled,
            transfers=total.transferred_out,
            recalls=total.recalls,
            out_of_order_calls=total.out_of_order,
            notices_given=self.notices,
            promised_cases=len(promised),
            overdue_cases=len(overdue),
            ratings=len(self.ratings),
            dissatisfied=dissatisfied,
            follow_ups_open=sum(1 for f in follow_ups if f.state == "open"),
            follow_ups_overdue=sum(1 for f in follow_ups if f.overdue),
            waiting=self.visitor_wait.frozen(),
            walking=total.walking.frozen(),
            handling=total.handling.frozen(),
            hold=total.hold.frozen(),
            target_wait_minutes=ctx.default_target_wait_minutes,
            within_target=total.within_target,
        )
        days = []
        day = ctx.first_day
        while day <= ctx.last_day:
            flow = self.days.get(day)
            if flow is not None or ctx.calendar.is_working_day(day):
                flow = flow or DayFlow()
                days.append(
                    DayVolume(
                        day,
                        flow.issued,
                        flow.served,
                        flow.no_shows,
                        flow.cancelled,
                        flow.wait_total / flow.wait_count if flow.wait_count else None,
                    )
                )
            day += timedelta(days=1)
        hours = [HourVolume(h, *self.hours[h]) for h in sorted(self.hours)]
        return MonthMeasures(
            hall_id=ctx.hall_id,
            hall_name_zh=ctx.hall_name_zh,
            month=f"{ctx.first_day:%Y-%m}",
            first_day=ctx.first_day,
            last_day=ctx.last_day,
            as_of=ctx.as_of,
            working_days=sum(
                1
                for offset in range((ctx.last_day - ctx.first_day).days + 1)
                if ctx.calendar.is_working_day(ctx.first_day + timedelta(days=offset))
            ),
            events=self.events,
            last_seq=self.last_seq,
            totals=totals,
            services=services,
            windows=windows,
            staff=staff,
            days=days,
            hours=hours,
            waiting_distribution=_distribution(self.visitor_wait),
            attendance=attendance,
            pauses=[
                PauseTotal(w, s, r, int(v[0]), int(v[1]))
                for (w, s, r), v in sorted(
                    self.pauses.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])
                )
            ],
            overdue_cases=overdue,
            promised_cases=promised,
            ratings=self.ratings,
            follow_ups=follow_ups,
            out_of_order=self.out_of_order,
            timezone=ctx.calendar.timezone,
        )

    def _window_measures(self, number: int, name: str) -> WindowMeasures:
        flow = self.windows.get(number) or Flow()
        time = self.window_time.get(number) or WindowTime()
        interruptions = time.paused + time.unattended_minutes * 60
        return WindowMeasures(
            window=number,
            name_zh=name,
            called=flow.called,
            served=flow.served,
            no_shows=flow.no_shows,
            recalls=flow.recalls,
            transferred_out=flow.transferred_out,
            out_of_order_calls=flow.out_of_order,
            waiting=flow.waiting.frozen(),
            walking=flow.walking.frozen(),
            handling=flow.handling.frozen(),
            hold=flow.hold.frozen(),
            case_types=dict(sorted(flow.case_types.items())),
            days_staffed=time.days,
            staffed_seconds=int(time.staffed),
            paused_seconds=int(time.paused),
            unattended_minutes=time.unattended_minutes,
            availability=max(0.0, (time.agreed - interruptions) / time.agreed)
            if time.agreed
            else None,
            ratings=dict(flow.ratings),
        )

    def _staff_measures(self, staff_no: str, attendance: list[AttendanceIncident]) -> StaffMeasures:
        flow = self.staff.get(staff_no) or Flow()
        time = self.staff_time.get(staff_no) or StaffTime()
        kinds = Counter(i.kind for i in attendance if i.staff_no == staff_no)
        return StaffMeasures(
            staff_no=staff_no,
            windows=tuple(sorted(time.windows)),
            days_worked=len(time.days),
            called=flow.called,
            served=flow.served,
            no_shows=flow.no_shows,
            transferred_out=flow.transferred_out,
            handling=flow.handling.frozen(),
            late=kinds["late"],
            early_leave=kinds["early_leave"],
            off_post=kinds["off_post"],
            paused_seconds=int(time.paused),
            ratings=dict(flow.ratings),
        )

    def _promised_cases(self) -> tuple[list[PromisedCase], list[OverdueCase]]:
        ctx = self.ctx
        # Deadlines and conclusions fall on few distinct days: count each span once.
        between = functools.cache(ctx.calendar.working_days_between)
        cases: list[Promised] = list(self.promised.values())
        for carried in ctx.carried_cases:
            if carried.ticket_id in self.promised:
                continue
            seqs = [carried.finish_seq]
            concluded = carried.concluded_on
            if carried.concluded_seq is not None:
                seqs.append(carried.concluded_seq)
            cases.append(
                Promised(
                    carried.ticket_id,
                    carried.number,
                    carried.service,
                    carried.window,
                    ctx.staff_by_user.get(carried.clerk) if carried.clerk else None,
                    carried.finished_on,
                    carried.deadline,
                    seqs,
                    concluded,
                )
            )
        for case in cases:
            if case.concluded_on is None and case.ticket_id in self.concluded:
                on, seq = self.concluded[case.ticket_id]
                case.concluded_on = on
                case.seqs.append(seq)
        promised: list[PromisedCase] = []
        overdue: list[OverdueCase] = []
        before_month = ctx.first_day - timedelta(days=1)
        for case in sorted(cases, key=lambda c: (c.finished_on, c.window, c.number)):
            case_seqs = tuple(case.seqs)
            end = case.concluded_on or ctx.as_of
            total = between(case.deadline, end)
            in_month = between(max(case.deadline, before_month), min(end, ctx.last_day))
            if ctx.first_day <= case.finished_on <= ctx.last_day:
                ahead = (
                    between(case.concluded_on, case.deadline)
                    if case.concluded_on is not None
                    else 0
                )
                promised.append(
                    PromisedCase(
                        ticket_id=case.ticket_id,
                        number=case.number,
                        window=case.window,
                        staff_no=case.staff,
                        service=case.service,
                        finished_on=case.finished_on,
                        deadline=case.deadline,
                        promised_working_days=between(case.finished_on, case.deadline),
                        concluded_on=case.concluded_on,
                        working_days_ahead=ahead,
                        event_seqs=case_seqs,
                    )
                )
            if in_month > 0:
                overdue.append(
                    OverdueCase(
                        ticket_id=case.ticket_id,
                        number=case.number,
                        window=case.window,
                        staff_no=case.staff,
                        service=case.service,
                        deadline=case.deadline,
                        concluded_on=case.concluded_on,
                        overdue_working_days=in_month,
                        total_overdue_working_days=total,
                        event_seqs=case_seqs,
                    )
                )
        return promised, overdue

    def _follow_up(self, row: FollowUpRow) -> FollowUpFact:
        late = is_overdue(row.deadline, row.closed_on, self.ctx.as_of)
        return FollowUpFact(
            rating_id=row.rating_id,
            window=row.window,
            staff_no=self.ctx.staff_by_user.get(row.clerk) if row.clerk else None,
            opened_on=row.opened_on,
            deadline=row.deadline,
            state=row.state,
            closed_on=row.closed_on,
            overdue=late,
        )


def _gaps(
    bounds: list[tuple[datetime, datetime]],
    stretches: list[tuple[datetime, datetime, str | None, int, int]],
) -> list[tuple[datetime, datetime, str | None, tuple[int, ...]]]:
    """Stretches of opening hours nobody was signed in, each with the clerk who left the window
    (or, at a session's start, the clerk who came next) and the bounding events."""
    ordered = sorted(stretches)
    gaps: list[tuple[datetime, datetime, str | None, tuple[int, ...]]] = []
    earlier_seq = 0  # the last sign-out before the session, named when nobody came at all
    for session_start, session_end in bounds:
        cursor = session_start
        left_by: str | None = None
        left_seq = 0
        for start, end, staff, in_seq, out_seq in ordered:
            if end <= cursor:
                if end > session_start:
                    left_by, left_seq = staff, out_seq
                elif out_seq:
                    earlier_seq = out_seq
                continue
            if start >= session_end:
                break
            if start > cursor:
                seqs = tuple(s for s in (left_seq, in_seq) if s)
                gaps.append((cursor, start, left_by or staff, seqs))
            cursor = end
            left_by, left_seq = staff, out_seq
            if cursor >= session_end:
                break
        if cursor < session_end:
            seq = left_seq or (earlier_seq if cursor == session_start else 0)
            gaps.append((cursor, session_end, left_by, tuple(s for s in (seq,) if s)))
    return gaps


def _service_measures(code: str, name: str, flow: Flow, target_minutes: int) -> ServiceMeasures:
    return ServiceMeasures(
        service=code,
        name_zh=name,
        issued=flow.issued,
        transferred_in=flow.transferred_in,
        called=flow.called,
        served=flow.served,
        no_shows=flow.no_shows,
        cancelled=flow.cancelled,
        transferred_out=flow.transferred_out,
        waiting=flow.waiting.frozen(),
        walking=flow.walking.frozen(),
        handling=flow.handling.frozen(),
        hold=flow.hold.frozen(),
        target_wait_minutes=target_minutes,
        within_target=flow.within_target,
    )


def _distribution(waits: Tally) -> list[WaitBucket]:
    counts = [0] * len(WAIT_EDGES_MINUTES)
    for seconds, times in waits.values.items():
        minutes = seconds / 60
        index = 0
        for i, edge in enumerate(WAIT_EDGES_MINUTES):
            if minutes >= edge:
                index = i
        counts[index] += times
    buckets = []
    for i, lower in enumerate(WAIT_EDGES_MINUTES):
        upper = WAIT_EDGES_MINUTES[i + 1] if i + 1 < len(WAIT_EDGES_MINUTES) else None
        buckets.append(WaitBucket(lower, upper, counts[i]))
    return buckets


# Every kind the month reads and what it does with it; the month's query asks for exactly these
# (MEASURED_KINDS), and an event of any other kind reaching `add` is an error, not silence.
# Keyed by the catalogue's kinds; looked up by the stored text (a StrEnum hashes as its text).
_HANDLERS: dict[str, Callable[[MonthAccumulator, EventRecord], None]] = {
    EventKind.TICKET_ISSUED: MonthAccumulator._issued,
    EventKind.TICKET_CALLED: MonthAccumulator._called,
    EventKind.TICKET_RECALLED: MonthAccumulator._recalled,
    EventKind.TICKET_STARTED: MonthAccumulator._started,
    EventKind.TICKET_HELD: MonthAccumulator._held,
    EventKind.TICKET_RETURNED: MonthAccumulator._returned,
    EventKind.TICKET_FINISHED: MonthAccumulator._finished,
    EventKind.TICKET_NO_SHOW: MonthAccumulator._no_show,
    EventKind.TICKET_CANCELLED: MonthAccumulator._cancelled,
    EventKind.TICKET_TRANSFERRED: MonthAccumulator._transferred,
    EventKind.TICKET_NOTICE_GIVEN: MonthAccumulator._notice,
    EventKind.CASE_CONCLUDED: MonthAccumulator._concluded,
    EventKind.CLERK_SIGNED_IN: MonthAccumulator._signed_in,
    EventKind.CLERK_SIGNED_OUT: MonthAccumulator._signed_out,
    EventKind.WINDOW_PAUSED: MonthAccumulator._paused,
    EventKind.WINDOW_RESUMED: MonthAccumulator._resumed,
    EventKind.RATING_GIVEN: MonthAccumulator._rating,
}
MEASURED_KINDS: tuple[EventKind, ...] = tuple(EventKind(kind) for kind in _HANDLERS)


class UnmeasuredKind(ValueError):
    """An event the month pass has no handler for reached it (the query and the handlers
    disagree): counting on would silently leave it out of the assessment."""


# ----- the reading, as it was -------------------------------------------------------------------

# The kinds whose payload the reading decoded; the others' came as {}.
READS_PAYLOAD = frozenset(
    {
        EventKind.TICKET_ISSUED,
        EventKind.TICKET_CALLED,
        EventKind.TICKET_FINISHED,
        EventKind.TICKET_TRANSFERRED,
        EventKind.CASE_CONCLUDED,
        EventKind.CLERK_SIGNED_IN,
        EventKind.CLERK_SIGNED_OUT,
        EventKind.WINDOW_PAUSED,
        EventKind.WINDOW_RESUMED,
        EventKind.RATING_GIVEN,
    }
)


def reference_measures(db: Any, halls: Any, clock: Any, hall_id: str, month: str) -> Any:
    """ReportService.month_measures before 4 December 2026, on the pass above."""
    import json as _json
    from dataclasses import replace
    from datetime import UTC

    from sqlalchemy import String, Text, cast, select, type_coerce

    from queue_server.domain.month_measures import EstimateAccuracy, ReportingMeasures
    from queue_server.domain.months import bounds_of, parse_month
    from queue_server.services import reports
    from queue_server.services.estimate_outcomes import month_quality
    from queue_server.services.haocha import month_reporting
    from queue_server.storage.tables import Event, Rating

    hall = halls.get(hall_id)
    first, last = bounds_of(parse_month(month))
    today = hall.calendar.business_day(clock.now())
    start, end = reports.ReportService._utc_bounds(hall, first, last)
    with db.read() as session:
        concluded = _conclusions(session, hall.id, first, end)
        ratings = {
            rid: RatingRow(window, clerk, level, tuple(reasons or ()), day)
            for rid, window, clerk, level, reasons, day in session.execute(
                select(
                    Rating.id,
                    Rating.window_no,
                    Rating.clerk_id,
                    Rating.level,
                    Rating.reasons,
                    Rating.business_day,
                ).where(Rating.hall_id == hall.id, Rating.rated_at >= start, Rating.rated_at < end)
            )
        }
        context = MonthContext(
            hall_id=hall.id,
            hall_name_zh=hall.config.hall.name.zh,
            calendar=hall.calendar,
            first_day=first,
            last_day=last,
            as_of=min(last, today),
            services=[
                ServiceInfo(s.code, s.name.zh, hall.config.target_wait_minutes(s))
                for s in hall.config.services
            ],
            windows=[WindowInfo(w.number, w.name.zh) for w in hall.config.windows],
            default_target_wait_minutes=hall.config.call_policy.target_wait_minutes,
            staff_by_user=reports._staff_numbers(session, hall.id),
            ratings=ratings,
            follow_ups=reports._follow_ups(session, hall.id, hall.calendar, first, last),  # type: ignore[arg-type]
            carried_cases=_carried_cases(session, hall.id, first, start, concluded),
            conclusions=concluded,
            rules=reports._measure_rules(hall),  # type: ignore[arg-type]
        )
        accumulator = MonthAccumulator(context)
        sqlite = session.get_bind().dialect.name == "sqlite"
        rows = session.connection().execute(
            select(
                Event.seq,
                Event.kind,
                type_coerce(Event.at, String) if sqlite else Event.at,
                Event.ticket_id,
                Event.window_no,
                Event.clerk_id,
                cast(Event.payload, Text),
            )
            .where(reports._month_filter(hall.id, start, end))
            .order_by(Event.seq)
        )
        for seq, kind, at, ticket_id, window, clerk, payload in rows:
            accumulator.add(
                EventRecord(
                    seq,
                    kind,
                    datetime.fromisoformat(at).replace(tzinfo=UTC) if sqlite else at,
                    ticket_id,
                    window,
                    clerk,
                    _json.loads(payload) if kind in READS_PAYLOAD and payload else {},
                )
            )
        result = accumulator.result()
    accuracy = [
        EstimateAccuracy(
            q.service, q.called, q.coverage, q.median_error_minutes, q.median_width_minutes
        )
        for q in month_quality(db, hall, first, last)
    ]
    result = replace(result, estimates=accuracy)
    if hall.config.haocha.enabled:
        reported, pending = month_reporting(db, hall, first, last)
        result = replace(result, reporting=ReportingMeasures(reported, pending))
    return result


# The promised cases' readers as they stood before the month's queries left out, in SQL, the
# cases concluded before the month (4 December 2026): every promised case of 400 days and
# every conclusion of them, filtered here.
def _conclusions(
    session: Any, hall_id: str, first: date, end: datetime
) -> dict[str, tuple[date, int]]:
    import json

    from sqlalchemy import Text, cast, select

    from queue_server.storage.tables import Event, Ticket

    rows = session.execute(
        select(Event.ticket_id, Event.seq, cast(Event.payload, Text))
        .join(Ticket, Ticket.id == Event.ticket_id)
        .where(
            Event.hall_id == hall_id,
            Event.kind == EventKind.CASE_CONCLUDED.value,
            Ticket.hall_id == hall_id,
            Ticket.case_type == "promised",
            Ticket.finished_at < end,
            Ticket.deadline >= first - timedelta(days=400),
        )
    )
    concluded: dict[str, tuple[date, int]] = {}
    for ticket_id, seq, payload in rows:
        value = json.loads(payload).get("concluded_on") if payload else None
        if ticket_id and value:
            concluded[ticket_id] = (date.fromisoformat(str(value)), seq)
    return concluded


def _carried_cases(
    session: Any, hall_id: str, first: date, start: datetime, concluded: dict[str, tuple[date, int]]
) -> list[CarriedCase]:
    from sqlalchemy import and_, select

    from queue_server.storage.tables import Event, Ticket

    rows = session.execute(
        select(
            Ticket.id,
            Ticket.number,
            Ticket.service_code,
            Ticket.window_no,
            Ticket.business_day,
            Ticket.deadline,
            Event.seq,
            Event.clerk_id,
        )
        .join(
            Event,
            and_(Event.ticket_id == Ticket.id, Event.kind == EventKind.TICKET_FINISHED.value),
        )
        .where(
            Ticket.hall_id == hall_id,
            Ticket.case_type == "promised",
            Ticket.deadline.is_not(None),
            Ticket.finished_at < start,
            Ticket.deadline >= first - timedelta(days=400),
        )
    ).all()
    cases = []
    for ticket_id, number, service, window, day, deadline, seq, clerk in rows:
        done = concluded.get(ticket_id)
        if done is not None and done[0] < first:
            continue
        cases.append(
            CarriedCase(
                ticket_id=ticket_id,
                number=number,
                service=service,
                window=window or 0,
                clerk=clerk,
                finished_on=day,
                deadline=deadline,
                finish_seq=seq,
                concluded_on=done[0] if done else None,
                concluded_seq=done[1] if done else None,
            )
        )
    return cases
