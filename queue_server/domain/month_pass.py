"""Events -> month measures: one ordered pass, state kept per open ticket, window and day.

Framework-free: the caller (services.month_measures) reads the rows and feeds `EventRecord`s
in sequence order. Memory is bounded by the tickets open at once (a day's at most), the
windows, and per-measure tallies of distinct durations in seconds.

Definitions (docs/reports.md):
- a leg is a ticket; a transfer ends one leg and queues a new one for the same visitor;
- waiting: from the issue (or check-in, or the transfer for a later leg) to the leg's call;
  the visitor's wait (totals, distribution, day means) is the first leg's;
- walking: call to start; handling: start to finish (hold included, as the finish event
  says); hold: each hold to its return (or to the no-show/cancel ending it);
- service level: share of called legs whose wait was within the service's target.
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple

from queue_server.domain.calendar import HallCalendar
from queue_server.domain.estimate_quality import Outcome
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
    """Durations in whole seconds: how many times each value was seen, from which the count,
    total and order statistics are exact (`frozen`). Adding one is a single dict update: a
    busy month adds about 600,000."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: dict[int, int] = {}

    def add(self, seconds: float) -> None:
        value = round(seconds) if seconds > 0 else 0
        values = self.values
        values[value] = values.get(value, 0) + 1

    def merge(self, other: Tally) -> None:
        values = self.values
        for value, times in other.values.items():
            values[value] = values.get(value, 0) + times

    def frozen(self) -> Durations:
        if not self.values:
            return Durations()
        ordered = sorted(self.values.items())
        count = sum(times for _, times in ordered)
        return Durations(
            count=count,
            total_seconds=sum(value * times for value, times in ordered),
            max_seconds=ordered[-1][0],
            median_seconds=_quantile(ordered, count, 0.5),
            p90_seconds=_quantile(ordered, count, 0.9),
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

    def merge(self, other: Flow) -> None:
        """Add another flow's counts and durations (all of them are sums)."""
        self.issued += other.issued
        self.transferred_in += other.transferred_in
        self.called += other.called
        self.served += other.served
        self.no_shows += other.no_shows
        self.cancelled += other.cancelled
        self.transferred_out += other.transferred_out
        self.recalls += other.recalls
        self.out_of_order += other.out_of_order
        self.notices += other.notices
        self.within_target += other.within_target
        self.waiting.merge(other.waiting)
        self.walking.merge(other.walking)
        self.handling.merge(other.handling)
        self.hold.merge(other.hold)
        if other.case_types:
            self.case_types.update(other.case_types)
        if other.ratings:
            self.ratings.update(other.ratings)


class DayFlow:
    __slots__ = ("cancelled", "issued", "no_shows", "served", "wait_count", "wait_total")

    def __init__(self) -> None:
        self.issued = self.served = self.no_shows = self.cancelled = 0
        self.wait_total = self.wait_count = 0


class Leg:
    """A ticket's leg while it is open. `flow` is the tally of its (service, window, clerk)
    while those stay as they are: the leg's counts go there once, not to the total, the
    service, the window and the clerk one by one (summed into those at the end)."""

    __slots__ = (
        "called_at",
        "first",
        "flow",
        "held_at",
        "number",
        "service",
        "staff",
        "start",
        "started_at",
        "window",
    )

    def __init__(self, service: str, number: str, start: datetime, first: bool) -> None:
        self.service = service
        self.number = number
        self.start = start
        self.first = first
        self.window: int | None = None
        self.staff: str | None = None
        self.called_at: datetime | None = None
        self.started_at: datetime | None = None
        self.held_at: datetime | None = None
        self.flow: Flow | None = None


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

# A row as the month's query gives it: (seq, kind, at, ticket_id, window, clerk, payload), the
# instant aware (or as stored, read by `add_rows`' parse_at), the payload either decoded or its
# JSON text (decoded by the handlers that read it, when they do).
Payload = Mapping[str, Any] | str | None
Row = tuple[int, str, Any, str | None, int | None, str | None, Payload]
NO_PAYLOAD: Mapping[str, Any] = MappingProxyType({})
_NEVER = datetime.max.replace(tzinfo=UTC)  # the day bounds before the first event
_scan = json.JSONDecoder().raw_decode


def _decoded(payload: Payload) -> Mapping[str, Any]:
    if isinstance(payload, str):
        # json.loads is this scan plus two whitespace matches around it and a check that
        # nothing follows; a text the plain scan does not take whole goes to json.loads.
        try:
            decoded, end = _scan(payload)
        except ValueError:
            return json.loads(payload)  # type: ignore[no-any-return]
        if end != len(payload):
            return json.loads(payload)  # type: ignore[no-any-return]
        return decoded  # type: ignore[no-any-return]
    return payload if payload is not None else NO_PAYLOAD


# Module-level, not lambdas: a month's accumulator is kept between runs (month_checkpoint.py).
def _hour_counts() -> list[int]:
    return [0, 0, 0]  # issued, called, finished


def _pause_totals() -> list[float]:
    return [0, 0.0]  # how many, seconds


class MonthAccumulator:
    """Feed the month's events in sequence order (`add`, or `add_rows` for the query's rows),
    then call `result()`."""

    def __init__(self, context: MonthContext) -> None:
        self.ctx = context
        self.calendar = context.calendar
        self.targets = {s.code: s.target_wait_minutes * 60 for s in context.services}
        self.default_target = context.default_target_wait_minutes * 60
        self.staff_by_user = context.staff_by_user
        self.events = 0
        self.last_seq = 0
        self.legs: dict[str, Leg] = {}
        # Counts of legs per (service, window, clerk) as the leg stood; the totals, services,
        # windows and clerks are their sums (`_flows_summed`). The four below hold only what
        # is not a leg's: services' issued and transferred-in, windows' and clerks' ratings.
        self.combos: dict[tuple[str, int | None, str | None], Flow] = {}
        self.services: defaultdict[str, Flow] = defaultdict(Flow)
        self.windows: defaultdict[int, Flow] = defaultdict(Flow)
        self.staff: defaultdict[str, Flow] = defaultdict(Flow)
        self.total = Flow()
        self.window_time: defaultdict[int, WindowTime] = defaultdict(WindowTime)
        self.staff_time: defaultdict[str, StaffTime] = defaultdict(StaffTime)
        self.visitor_wait = Tally()
        self.days: defaultdict[date, DayFlow] = defaultdict(DayFlow)
        self.hours: defaultdict[int, list[int]] = defaultdict(_hour_counts)
        self.staffing: defaultdict[int, Staffing] = defaultdict(Staffing)
        self.pauses: defaultdict[tuple[int, str | None, str], list[float]] = defaultdict(
            _pause_totals
        )
        self.attendance: list[AttendanceIncident] = []
        self.out_of_order: list[OutOfOrderCall] = []
        self.ratings: list[RatingFact] = []
        self.promised: dict[str, Promised] = {}
        # conclusions met in the log, over those known when the month is asked for (the
        # context's, read at `result()`: a kept pass continues under newer ones)
        self.concluded: dict[str, tuple[date, int]] = {}
        # every rating looked up in the context, so a kept pass can check they are unchanged
        self.ratings_read: list[str] = []
        # the estimate told at issue (ticket, issued at, day, service, the range as stored)
        # and those tickets' first calls (None until called), for the estimates' accuracy;
        # only theirs: the state is kept between runs (month_checkpoint.py)
        self.estimated: list[tuple[str, datetime, date, str, Any]] = []
        self.first_calls: dict[str, datetime | None] = {}
        self.legs_total = 0
        self.visitors = 0
        self.notices = 0
        self._day: date | None = None
        # the current local day as UTC instants: [start, end)
        self._day_start: datetime = _NEVER
        self._day_end: datetime = _NEVER
        # the current local hour of that day as UTC instants: [start, end)
        self._hour = 0
        self._hour_start: datetime = _NEVER
        self._hour_end: datetime = _NEVER
        self._day_flow: DayFlow | None = None

    # local day and hour without a time-zone conversion per event
    def _local(self, at: datetime) -> tuple[date, int]:
        if self._hour_start <= at < self._hour_end:
            return self._day, self._hour  # type: ignore[return-value]
        start = self._day_start
        if not (start <= at < self._day_end):
            start = self._enter_day(at)
        elapsed = at - start
        hour = elapsed.days * 24 + elapsed.seconds // 3600
        # hour 23 runs to the day's end (a day of 25 hours when clocks go back)
        hour = hour if hour < 23 else 23
        self._hour = hour
        self._hour_start = start + timedelta(hours=hour)
        end = self._day_end
        self._hour_end = min(start + timedelta(hours=hour + 1), end) if hour < 23 else end
        return self._day, hour  # type: ignore[return-value]

    def _enter_day(self, at: datetime) -> datetime:
        day = self.calendar.local(at).date()
        if self._day is not None and day != self._day:
            self._close_day(self._day)
        zone = self.calendar.zone
        start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
        self._day = day
        self._day_start = start
        self._day_end = datetime.combine(
            day + timedelta(days=1), datetime.min.time(), tzinfo=zone
        ).astimezone(UTC)
        self._day_flow = None
        return start

    def _today(self) -> DayFlow:
        """The current day's volumes (made on first use: a day without any is not listed)."""
        flow = self._day_flow
        if flow is None:
            assert self._day is not None
            flow = self._day_flow = self.days[self._day]
        return flow

    def _staff_of(self, clerk: str | None, window: int | None) -> str | None:
        if clerk is not None:
            known = self.staff_by_user.get(clerk)
            if known is not None:
                return known
        if window is not None:
            return self.staffing[window].staff
        return None

    def add(self, event: EventRecord) -> None:
        self.add_rows((event,))

    def add_rows(
        self, rows: Iterable[Row], parse_at: Callable[[Any], datetime] | None = None
    ) -> None:
        """Events in sequence order; `parse_at` turns the stored instant into an aware one."""
        handlers = _HANDLERS
        count = 0
        seq = self.last_seq
        try:
            for seq, kind, at, ticket, window, clerk, payload in rows:
                count += 1
                handler = handlers.get(kind)
                if handler is None:
                    raise UnmeasuredKind(f"the month pass has no handler for {kind!r}")
                handler(
                    self,
                    seq,
                    at if parse_at is None else parse_at(at),
                    ticket,
                    window,
                    clerk,
                    payload,
                )
        finally:
            self.events += count
            self.last_seq = seq

    # ----- tickets ----------------------------------------------------------------------

    def _flow(self, leg: Leg) -> Flow:
        """The tally of the leg's service, window and clerk as they are now."""
        key = (leg.service, leg.window, leg.staff)
        flow = self.combos.get(key)
        if flow is None:
            flow = self.combos[key] = Flow()
        leg.flow = flow
        return flow

    def _issued(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        day, hour = self._local(at)
        decoded = _decoded(payload)
        service = str(decoded.get("service", ""))
        assert ticket is not None
        self.legs[ticket] = Leg(service, str(decoded.get("number", "")), at, True)
        self.legs_total += 1
        self.visitors += 1
        self.services[service].issued += 1
        (self._day_flow or self._today()).issued += 1
        self.hours[hour][0] += 1
        estimate = decoded.get("estimate")
        if estimate:
            self.estimated.append((ticket, at, day, service, estimate))
            self.first_calls[ticket] = None

    def _leg(self, ticket: str | None, at: datetime, payload: Payload) -> Leg:
        assert ticket is not None
        leg = self.legs.get(ticket)
        if leg is None:
            # Issued before the month's first event (a ticket left over a midnight): start
            # from what the call itself says the wait was.
            decoded = _decoded(payload)
            waited = int(decoded.get("waited_seconds", 0))
            leg = Leg(
                str(decoded.get("service", "")),
                str(decoded.get("number", "")),
                at - timedelta(seconds=waited),
                True,
            )
            self.legs[ticket] = leg
            self.legs_total += 1
        return leg

    def _called(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        _, hour = self._local(at)
        assert ticket is not None
        leg = self.legs.get(ticket) or self._leg(ticket, at, payload)
        leg.window = window
        staff = self.staff_by_user.get(clerk) if clerk is not None else None
        leg.staff = staff if staff is not None else self._staff_of(clerk, window)
        leg.called_at = at
        wait = (at - leg.start).total_seconds()
        seconds = round(wait) if wait > 0 else 0  # as Tally.add rounds it
        flow = self._flow(leg)
        flow.called += 1
        waits = flow.waiting.values
        waits[seconds] = waits.get(seconds, 0) + 1
        flow.within_target += wait <= self.targets.get(leg.service, self.default_target)
        if leg.first:
            waits = self.visitor_wait.values
            waits[seconds] = waits.get(seconds, 0) + 1
            today = self._day_flow or self._today()
            today.wait_total += seconds
            today.wait_count += 1
        self.hours[hour][1] += 1
        if ticket in self.first_calls:
            earlier = self.first_calls[ticket]
            if earlier is None or at < earlier:
                self.first_calls[ticket] = at
        # The text says whether the call was out of order without decoding it: the key is
        # written as it is (ASCII), and an absent key reads as not out of order.
        if isinstance(payload, str) and "out_of_order" not in payload:
            return
        decoded = _decoded(payload)
        if decoded.get("out_of_order"):
            flow.out_of_order += 1
            self.out_of_order.append(
                OutOfOrderCall(
                    ticket_id=ticket or "",
                    number=leg.number,
                    service=leg.service,
                    window=window or 0,
                    staff_no=leg.staff,
                    at=at,
                    reason=str(decoded.get("reason", "")),
                    event_seq=seq,
                )
            )

    def _recalled(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        leg = self._leg(ticket, at, payload)
        (leg.flow or self._flow(leg)).recalls += 1

    def _started(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        leg = self.legs.get(ticket or "") or self._leg(ticket, at, payload)
        leg.started_at = at
        called_at = leg.called_at
        if called_at is not None:
            walked = (at - called_at).total_seconds()
            seconds = round(walked) if walked > 0 else 0  # as Tally.add rounds it
            walks = (leg.flow or self._flow(leg)).walking.values
            walks[seconds] = walks.get(seconds, 0) + 1

    def _held(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        self._leg(ticket, at, payload).held_at = at

    def _end_hold(self, leg: Leg, at: datetime) -> None:
        if leg.held_at is not None:
            (leg.flow or self._flow(leg)).hold.add((at - leg.held_at).total_seconds())
            leg.held_at = None

    def _returned(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        leg = self._leg(ticket, at, payload)
        self._end_hold(leg, at)
        if leg.started_at is None:
            leg.started_at = at

    def _finished(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        day, hour = self._local(at)
        leg = self.legs.get(ticket or "") or self._leg(ticket, at, payload)
        decoded = _decoded(payload)
        case_type = str(decoded.get("case_type", ""))
        flow = leg.flow or self._flow(leg)
        flow.served += 1
        handled = (at - (leg.started_at or at)).total_seconds()
        seconds = round(handled) if handled > 0 else 0  # as Tally.add rounds it
        handlings = flow.handling.values
        handlings[seconds] = handlings.get(seconds, 0) + 1
        case_types = flow.case_types
        case_types[case_type] = case_types.get(case_type, 0) + 1
        (self._day_flow or self._today()).served += 1
        self.hours[hour][2] += 1
        deadline = decoded.get("deadline")
        if case_type == "promised" and deadline and ticket:
            self.promised[ticket] = Promised(
                ticket_id=ticket,
                number=leg.number,
                service=leg.service,
                window=window or leg.window or 0,
                staff=leg.staff,
                finished_on=day,
                deadline=date.fromisoformat(str(deadline)),
                seqs=[seq],
            )
        self.legs.pop(ticket or "", None)

    def _no_show(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        self._local(at)
        leg = self._leg(ticket, at, payload)
        self._end_hold(leg, at)
        (leg.flow or self._flow(leg)).no_shows += 1
        self._today().no_shows += 1
        self.legs.pop(ticket or "", None)

    def _cancelled(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        self._local(at)
        leg = self._leg(ticket, at, payload)
        self._end_hold(leg, at)
        (leg.flow or self._flow(leg)).cancelled += 1
        self._today().cancelled += 1
        self.legs.pop(ticket or "", None)

    def _transferred(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        leg = self._leg(ticket, at, payload)
        (leg.flow or self._flow(leg)).transferred_out += 1
        self.legs.pop(ticket or "", None)
        decoded = _decoded(payload)
        new_id = decoded.get("new_ticket")
        to_service = str(decoded.get("to_service") or leg.service)
        if new_id:
            self.legs[str(new_id)] = Leg(to_service, leg.number, at, False)
            self.legs_total += 1
            self.services[to_service].transferred_in += 1

    def _notice(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        self.notices += 1
        leg = self.legs.get(ticket or "")
        if leg is not None:
            (leg.flow or self._flow(leg)).notices += 1

    def _concluded(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        value = _decoded(payload).get("concluded_on")
        if not value or not ticket:
            return
        on = date.fromisoformat(str(value))
        self.concluded[ticket] = (on, seq)
        case = self.promised.get(ticket)
        if case is not None:
            case.concluded_on = on
            case.seqs.append(seq)

    # ----- windows and clerks -----------------------------------------------------------

    def _signed_in(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        day, _ = self._local(at)
        if window is None:
            return
        decoded = _decoded(payload)
        staff = str(decoded.get("staff_no") or self._staff_of(clerk, None) or "") or None
        state = self.staffing[window]
        if state.staff is not None and state.since is not None:
            state.stretches.append((state.since, at, state.staff, state.since_seq, seq))
        state.staff, state.since, state.since_seq = staff, at, seq
        if staff is not None:
            person = self.staff_time[staff]
            person.days.add(day)
            person.windows.add(window)
            if decoded.get("attendance") == "late":
                self.attendance.append(
                    AttendanceIncident(
                        staff,
                        window,
                        day,
                        "late",
                        int(decoded.get("minutes_late", 0)),
                        (seq,),
                    )
                )

    def _signed_out(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        day, _ = self._local(at)
        if window is None:
            return
        decoded = _decoded(payload)
        state = self.staffing[window]
        staff = str(decoded.get("staff_no") or state.staff or "") or None
        if state.since is not None:
            state.stretches.append((state.since, at, staff, state.since_seq, seq))
        state.staff, state.since = None, None
        if staff is not None and decoded.get("attendance") == "early_leave":
            self.attendance.append(
                AttendanceIncident(
                    staff,
                    window,
                    day,
                    "early_leave",
                    int(decoded.get("minutes_early", 0)),
                    (seq,),
                )
            )

    def _paused(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        self._local(at)
        if window is None:
            return
        state = self.staffing[window]
        state.paused_at = at
        state.pause_reason = str(_decoded(payload).get("reason") or "other")
        state.pause_staff = self._staff_of(clerk, window)
        state.pause_seq = seq

    def _resumed(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        day, _ = self._local(at)
        if window is None:
            return
        state = self.staffing[window]
        if state.paused_at is None:
            return
        self._account_pause(window, state, at, day, seq)

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

    def _rating(
        self,
        seq: int,
        at: datetime,
        ticket: str | None,
        window: int | None,
        clerk: str | None,
        payload: Payload,
    ) -> None:
        self._local(at)
        rating_id = str(_decoded(payload).get("rating", ""))
        self.ratings_read.append(rating_id)
        row = self.ctx.ratings.get(rating_id)
        if row is None:
            return
        staff = self.staff_by_user.get(row.clerk) if row.clerk else None
        self.ratings.append(
            RatingFact(
                window=row.window,
                staff_no=staff,
                level=row.level,
                dissatisfied=row.level in BAD,
                event_seq=seq,
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

    def _flows_summed(
        self,
    ) -> tuple[Flow, defaultdict[str, Flow], defaultdict[int, Flow], defaultdict[str, Flow]]:
        """The total, services, windows and clerks: each the sum of its legs' tallies."""
        total = Flow()
        total.merge(self.total)
        services: defaultdict[str, Flow] = defaultdict(Flow)
        windows: defaultdict[int, Flow] = defaultdict(Flow)
        staff: defaultdict[str, Flow] = defaultdict(Flow)
        for own, summed in ((self.services, services), (self.windows, windows)):
            for key, flow in own.items():
                summed[key].merge(flow)  # type: ignore[index]
        for number, flow in self.staff.items():
            staff[number].merge(flow)
        for (service, window, staff_no), flow in self.combos.items():
            total.merge(flow)
            services[service].merge(flow)
            if window is not None:
                windows[window].merge(flow)
            if staff_no is not None:
                staff[staff_no].merge(flow)
        return total, services, windows, staff

    def estimate_outcomes(self) -> list[Outcome]:
        """Each ticket issued in the month with an estimate and called in it after: the range
        told at issue against the wait to its first call."""
        outcomes = []
        first_calls = self.first_calls
        for ticket, at, day, service, estimate in self.estimated:
            first_call = first_calls.get(ticket)
            if first_call is None or first_call < at:
                continue
            outcomes.append(
                Outcome(
                    service=service,
                    day=day,
                    low=int(estimate[0]),
                    high=int(estimate[1]),
                    waited_minutes=(first_call - at).total_seconds() / 60,
                )
            )
        return outcomes

    def result(self) -> MonthMeasures:
        if self._day is not None:
            self._close_day(self._day)
            self._day = None
            self._day_start = self._day_end = _NEVER
            self._hour_start = self._hour_end = _NEVER
            self._day_flow = None
        ctx = self.ctx
        total, summed_services, summed_windows, summed_staff = self._flows_summed()
        names = {s.code: s for s in ctx.services}
        window_names = {w.number: w.name_zh for w in ctx.windows}
        services = [
            _service_measures(
                code,
                names[code].name_zh if code in names else code,
                summed_services[code],
                names[code].target_wait_minutes
                if code in names
                else ctx.default_target_wait_minutes,
            )
            for code in [s.code for s in ctx.services] + sorted(set(summed_services) - set(names))
        ]
        window_numbers = sorted(set(window_names) | set(summed_windows) | set(self.window_time))
        windows = [
            self._window_measures(n, window_names.get(n, f"{n}号窗口"), summed_windows.get(n))
            for n in window_numbers
        ]
        attendance = sorted(self.attendance, key=lambda i: (i.day, i.window, i.event_seqs))
        staff = [
            self._staff_measures(no, attendance, summed_staff.get(no))
            for no in sorted(set(summed_staff) | set(self.staff_time))
        ]
        promised, overdue = self._promised_cases()
        follow_ups = [self._follow_up(row) for row in ctx.follow_ups]
        dissatisfied = sum(1 for r in self.ratings if r.dissatisfied)
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

    def _window_measures(self, number: int, name: str, flow: Flow | None) -> WindowMeasures:
        flow = flow or Flow()
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

    def _staff_measures(
        self, staff_no: str, attendance: list[AttendanceIncident], flow: Flow | None
    ) -> StaffMeasures:
        flow = flow or Flow()
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
        known = {**ctx.conclusions, **self.concluded}
        for case in cases:
            if case.concluded_on is None and case.ticket_id in known:
                on, seq = known[case.ticket_id]
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
Handler = Callable[
    [MonthAccumulator, int, datetime, str | None, int | None, str | None, "Payload"], None
]
_HANDLERS: dict[str, Handler] = {
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
