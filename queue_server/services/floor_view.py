"""What the duty lead's floor monitor shows, read in one transaction: queues, windows,
devices; and the facts the alert rules judge (queue_server.domain.alerts).

Nothing here is kept between requests: it is a query over the tables and today's events.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from queue_server.domain.alerts import (
    Deadline,
    DeviceFacts,
    FloorFacts,
    Occurrence,
    Rule,
    ServiceFacts,
    WindowFacts,
)
from queue_server.domain.assessment.complaints import UNANSWERED
from queue_server.domain.estimate import WaitEstimate, estimate_wait
from queue_server.domain.estimate_calibration import DEFAULT_CALIBRATION, Calibration
from queue_server.domain.floor import (
    Colour,
    WindowState,
    average_by_hour,
    device_status,
    level_colour,
    queue_colour,
    service_level_of_counts,
    wait_colour,
    wait_histogram,
    window_state,
)
from queue_server.domain.free_text import mask_personal_data
from queue_server.domain.rating import BAD
from queue_server.domain.tickets import TicketState
from queue_server.services.devices import DEVICE_STATUS, HELP_REQUESTED
from queue_server.services.halls import HallContext
from queue_server.services.queries import (
    at_a_window,
    handling_minutes,
    open_capacity,
    open_windows,
)
from queue_server.storage.assessment_tables import Complaint
from queue_server.storage.tables import (
    Device,
    Event,
    FollowUp,
    Rating,
    Service,
    Ticket,
    User,
    Window,
    WindowService,
    WindowSignIn,
)

NO_ESTIMATE = WaitEstimate(None, None, "not_computed")
OPEN_COMPLAINT = tuple(s.value for s in UNANSWERED)


@dataclass(frozen=True)
class ServiceRow:
    code: str
    name_zh: str
    name_en: str | None
    waiting: int
    longest_wait_minutes: float | None
    estimate_low: int | None
    estimate_high: int | None
    estimate_basis: str
    service_level: float | None
    target_wait_minutes: int
    issuing_stopped: bool
    windows: list[int]
    wait_colour: Colour
    level_colour: Colour
    queue_colour: Colour


@dataclass(frozen=True)
class WindowRow:
    number: int
    name: str
    state: WindowState
    is_open: bool
    services: dict[str, int]
    ticket: str | None
    ticket_since: datetime | None  # called or started at
    pause_reason: str | None
    pause_note: str | None
    paused_at: datetime | None
    clerk_name: str | None
    clerk_staff_no: str | None
    unattended_since: datetime | None
    display: str | None  # online, offline, not_reporting, none


@dataclass(frozen=True)
class DeviceRow:
    name: str
    kind: str
    window: int | None
    status: str  # online, offline, not_reporting
    last_seen: datetime | None
    printer: str | None
    # A kiosk's offline journal as it last reported it (None: not reported).
    offline_pending: int | None = None
    offline_refused: int = 0  # today's entries the server refused (to serve by hand)
    offline_since: datetime | None = None


@dataclass
class FloorState:
    hall: str
    at: datetime
    business_day: date
    hall_state: str
    in_hours: bool
    services: list[ServiceRow] = field(default_factory=list)
    windows: list[WindowRow] = field(default_factory=list)
    devices: list[DeviceRow] = field(default_factory=list)
    facts: FloorFacts | None = None
    # Years whose national holiday arrangement is not known yet (docs/calendar.md).
    provisional_calendar_years: list[int] = field(default_factory=list)


def day_start(hall: HallContext, day: date) -> datetime:
    return hall.calendar.at(day, time(0))


def read_floor(
    session: Session,
    hall: HallContext,
    now: datetime,
    *,
    estimates: bool = True,
    calibration: Calibration = DEFAULT_CALIBRATION,
) -> FloorState:
    """The floor now; `estimates=False` skips the wait estimates (the alert rules need none,
    and they run after every event). A service's estimate is the range the kiosk would give
    the next visitor, people ahead calibrated with `calibration` (the hall's, from
    `QueueService.calibrations`)."""
    calendar = hall.calendar
    day = calendar.business_day(now)
    start = day_start(hall, day)
    in_hours = calendar.is_within_hours(now)
    state = FloorState(
        hall=hall.id,
        at=now,
        business_day=day,
        hall_state=calendar.status(now).state.value,
        in_hours=in_hours,
        provisional_calendar_years=calendar.provisional_years(day),
    )
    devices = _devices(session, hall, start, now)
    state.devices = devices
    windows, window_facts = _windows(session, hall, now, day, in_hours, devices)
    state.windows = windows
    services, service_facts = _services(session, hall, now, windows, estimates, calibration)
    state.services = services
    state.facts = FloorFacts(
        now=now,
        in_hours=in_hours,
        services=service_facts,
        windows=window_facts,
        devices=[
            DeviceFacts(name=d.name, kind=d.kind, last_seen=d.last_seen, printer=d.printer)
            for d in devices
        ],
        occurrences=[*_help_requests(session, hall, start), *_bad_ratings(session, hall, day)],
        deadlines=[*_follow_ups_due(session, hall, day), *complaint_deadlines(session, hall, day)],
    )
    return state


# ----- services -----------------------------------------------------------------------------


def _services(
    session: Session,
    hall: HallContext,
    now: datetime,
    windows: list[WindowRow],
    estimates: bool,
    calibration: Calibration,
) -> tuple[list[ServiceRow], list[ServiceFacts]]:
    config = hall.config
    floor = config.floor
    waiting = {
        code: (int(count), oldest)
        for code, count, oldest in session.execute(
            select(Ticket.service_code, func.count(), func.min(Ticket.order_at))
            .where(Ticket.hall_id == hall.id, Ticket.state == TicketState.WAITING.value)
            .group_by(Ticket.service_code)
        )
    }
    called = _called_today(session, hall, now)
    stopped = {
        s.code: s.issuing_stopped
        for s in session.scalars(select(Service).where(Service.hall_id == hall.id))
    }
    rows: list[ServiceRow] = []
    facts: list[ServiceFacts] = []
    open_now = open_windows(session, hall.id) if estimates else []
    for service in config.services:
        count, oldest = waiting.get(service.code, (0, None))
        longest = max(timedelta(0), now - oldest) if oldest is not None else None
        target = timedelta(minutes=config.target_wait_minutes(service))
        estimate = (
            calibration.apply(
                estimate_wait(
                    count,
                    open_capacity(open_now, service.code),
                    handling_minutes(session, hall.id, service.code),
                    service.default_handling_minutes,
                ),
                service.code,
                count,
            )
            if estimates
            else NO_ESTIMATE
        )
        within, seen = called.get(service.code, (0, 0))
        level = service_level_of_counts(within, seen)
        rows.append(
            ServiceRow(
                code=service.code,
                name_zh=service.name.zh,
                name_en=service.name.en,
                waiting=count,
                longest_wait_minutes=None if longest is None else longest.total_seconds() / 60,
                estimate_low=estimate.low_minutes,
                estimate_high=estimate.high_minutes,
                estimate_basis=estimate.basis,
                service_level=level,
                target_wait_minutes=int(target.total_seconds() // 60),
                issuing_stopped=stopped.get(service.code, False),
                windows=[w.number for w in windows if service.code in w.services and w.is_open],
                wait_colour=wait_colour(longest, target, floor.wait_warn_share),
                level_colour=level_colour(level, floor.service_level_target),
                queue_colour=queue_colour(count, floor.queue_over),
            )
        )
        facts.append(ServiceFacts(service.code, count, longest, target))
    return rows, facts


def _called_today(session: Session, hall: HallContext, now: datetime) -> dict[str, tuple[int, int]]:
    """Per service: today's called visitors who waited no longer than the service's target,
    and all of today's called visitors (transfer legs not counted again) — one aggregate in
    SQL, not a row per visitor in Python: the alert watch reads this twice a second."""
    minutes = case(
        {s.code: hall.config.target_wait_minutes(s) for s in hall.config.services},
        value=Ticket.service_code,
        else_=hall.config.call_policy.target_wait_minutes,
    )
    if session.get_bind().dialect.name == "postgresql":
        in_time = Ticket.called_at <= Ticket.order_at + func.make_interval(0, 0, 0, 0, 0, minutes)
    else:
        # SQLite's date functions work to the millisecond; the half-millisecond allowance
        # keeps a wait of exactly the target (whole seconds) inside it.
        waited = (func.julianday(Ticket.called_at) - func.julianday(Ticket.order_at)) * 86400.0
        in_time = waited <= minutes * 60 + 0.0005
    rows = session.execute(
        select(
            Ticket.service_code,
            func.sum(case((in_time, 1), else_=0)),
            func.count(),
        )
        .where(
            Ticket.hall_id == hall.id,
            Ticket.business_day == hall.calendar.business_day(now),
            Ticket.called_at.is_not(None),
            Ticket.transferred_from.is_(None),
        )
        .group_by(Ticket.service_code)
    )
    return {code: (int(within or 0), int(seen)) for code, within, seen in rows}


# ----- windows ------------------------------------------------------------------------------


def _windows(
    session: Session,
    hall: HallContext,
    now: datetime,
    day: date,
    in_hours: bool,
    devices: list[DeviceRow],
) -> tuple[list[WindowRow], list[WindowFacts]]:
    weights: dict[int, dict[str, int]] = defaultdict(dict)
    for row in session.scalars(select(WindowService).where(WindowService.hall_id == hall.id)):
        weights[row.window_no][row.service_code] = row.weight
    at_window = {
        t.window_no: t
        for t in session.scalars(
            select(Ticket).where(
                Ticket.hall_id == hall.id,
                at_a_window(Ticket.state),
            )
        )
    }
    clerks = {
        number: (name, staff_no)
        for number, name, staff_no in session.execute(
            select(WindowSignIn.window_no, User.name, User.staff_no)
            .join(User, User.id == WindowSignIn.user_id)
            .where(WindowSignIn.hall_id == hall.id, WindowSignIn.signed_out_at.is_(None))
        )
    }
    last_out = dict(
        session.execute(
            select(WindowSignIn.window_no, func.max(WindowSignIn.signed_out_at))
            .where(WindowSignIn.hall_id == hall.id, WindowSignIn.business_day == day)
            .group_by(WindowSignIn.window_no)
        ).all()
    )
    session_start = _current_session_start(hall, now)
    displays = {d.window: d.status for d in devices if d.kind == "display" and d.window}
    rows: list[WindowRow] = []
    facts: list[WindowFacts] = []
    for w in session.scalars(
        select(Window).where(Window.hall_id == hall.id).order_by(Window.number)
    ):
        ticket = at_window.get(w.number)
        clerk = clerks.get(w.number)
        unattended_since: datetime | None = None
        if clerk is None and in_hours and session_start is not None:
            left = last_out.get(w.number)
            unattended_since = max(session_start, left) if left else session_start
        state = window_state(
            is_open=w.is_open,
            paused=w.paused,
            staffed=clerk is not None,
            ticket_state=ticket.state if ticket else None,
            in_hours=in_hours,
        )
        rows.append(
            WindowRow(
                number=w.number,
                name=w.name_zh,
                state=state,
                is_open=w.is_open,
                services=dict(weights.get(w.number, {})),
                ticket=ticket.number if ticket else None,
                ticket_since=(ticket.started_at or ticket.called_at) if ticket else None,
                pause_reason=w.pause_reason,
                pause_note=mask_personal_data(w.pause_note) if w.pause_note else None,
                paused_at=w.paused_at,
                clerk_name=clerk[0] if clerk else None,
                clerk_staff_no=clerk[1] if clerk else None,
                unattended_since=unattended_since if state is WindowState.UNATTENDED else None,
                display=displays.get(w.number, "none"),
            )
        )
        facts.append(
            WindowFacts(
                number=w.number,
                is_open=w.is_open,
                staffed=clerk is not None,
                paused_since=w.paused_at if w.paused else None,
                pause_reason=w.pause_reason,
                unattended_since=unattended_since,
            )
        )
    return rows, facts


def _current_session_start(hall: HallContext, now: datetime) -> datetime | None:
    local = hall.calendar.local(now)
    for start, end in hall.calendar.session_bounds(local.date()):
        if start <= local < end:
            return start
    return None


# ----- devices ------------------------------------------------------------------------------


def _devices(
    session: Session, hall: HallContext, start: datetime, now: datetime
) -> list[DeviceRow]:
    silence = timedelta(seconds=hall.config.floor.device_offline_seconds)
    latest_seq = (
        select(func.max(Event.seq).label("seq"))
        .where(Event.hall_id == hall.id, Event.kind == DEVICE_STATUS, Event.at >= start)
        .group_by(Event.device_id)
        .subquery()
    )
    reports = {
        e.device_id: e
        for e in session.scalars(
            select(Event).where(Event.hall_id == hall.id, Event.seq.in_(select(latest_seq.c.seq)))
        )
    }
    registered = {
        d.name: d
        for d in session.scalars(
            select(Device).where(Device.hall_id == hall.id, Device.revoked_at.is_(None))
        )
    }
    # A revoked device is retired (a replaced kiosk, a stopped simulator's): its silence
    # after its last report today is expected, not a device gone offline.
    retired = set(
        session.scalars(
            select(Device.name).where(Device.hall_id == hall.id, Device.revoked_at.is_not(None))
        )
    )
    rows: list[DeviceRow] = []
    for name in sorted(set(registered) | {n for n in reports if n and n not in retired}):
        device = registered.get(name)
        report = reports.get(name)
        kind = device.kind if device else str((report.payload if report else {}).get("kind"))
        last_seen = report.at if report else None
        printer_info = report.payload.get("printer") if report else None
        printer = printer_info.get("state") if isinstance(printer_info, dict) else None
        status = device_status(last_seen, now, silence)
        journal = report.payload.get("offline") if report else None
        pending, refused, since = None, 0, None
        if isinstance(journal, dict):
            pending = int(journal.get("pending") or 0)
            refused = int(journal.get("refused") or 0)  # absent: a kiosk from before
            since = datetime.fromisoformat(journal["since"]) if journal.get("since") else None
        rows.append(
            DeviceRow(
                name=name,
                kind=kind,
                window=device.window_no if device else None,
                status=status,
                last_seen=last_seen,
                printer=printer,
                offline_pending=pending,
                offline_refused=refused,
                offline_since=since,
            )
        )
    return rows


# ----- what happened once, and what is due --------------------------------------------------


def _help_requests(session: Session, hall: HallContext, start: datetime) -> list[Occurrence]:
    return [
        Occurrence(
            rule=Rule.HELP_REQUESTED,
            ref=str(e.seq),
            at=e.at,
            device=e.device_id,
            detail={k: e.payload[k] for k in ("screen", "ticket", "lang") if k in e.payload},
        )
        for e in session.scalars(
            select(Event).where(
                Event.hall_id == hall.id, Event.kind == HELP_REQUESTED, Event.at >= start
            )
        )
    ]


def _bad_ratings(session: Session, hall: HallContext, day: date) -> list[Occurrence]:
    # The level and the window only: who rated and who served stay with supervision.
    return [
        Occurrence(
            rule=Rule.BAD_RATING,
            ref=r.id,
            at=r.rated_at,
            window=r.window_no,
            detail={"level": r.level, "reasons": list(r.reasons)},
        )
        for r in session.scalars(
            select(Rating).where(
                Rating.hall_id == hall.id,
                Rating.business_day == day,
                Rating.level.in_([level.value for level in BAD]),
            )
        )
    ]


def _follow_ups_due(session: Session, hall: HallContext, day: date) -> list[Deadline]:
    rows = session.execute(
        select(FollowUp.id, FollowUp.deadline, Rating.window_no)
        .join(Rating, Rating.id == FollowUp.rating_id)
        .where(FollowUp.hall_id == hall.id, FollowUp.state != "closed")
    ).all()
    return [
        Deadline(
            rule=Rule.FOLLOW_UP_DUE,
            ref=follow_up,
            deadline=deadline,
            working_days_left=hall.calendar.working_days_left(day, deadline),
            window=window,
        )
        for follow_up, deadline, window in rows
    ]


def complaint_deadlines(session: Session, hall: HallContext, day: date) -> list[Deadline]:
    """Complaints still with the hall or the window (not yet answered) that have a deadline.

    Only the id, the deadline and the window: the complainant stays confidential.
    """
    rows = session.execute(
        select(Complaint.id, Complaint.deadline, Complaint.window_no).where(
            Complaint.hall_id == hall.id,
            Complaint.status.in_(OPEN_COMPLAINT),
            Complaint.deadline.is_not(None),
        )
    ).all()
    return [
        Deadline(
            rule=Rule.COMPLAINT_DUE,
            ref=complaint,
            deadline=deadline,
            working_days_left=hall.calendar.working_days_left(day, deadline),
            window=window,
        )
        for complaint, deadline, window in rows
        if deadline is not None
    ]


# ----- charts -------------------------------------------------------------------------------

SAME_WEEKDAYS = 8  # the weekday's average is over up to this many past weeks with tickets


@dataclass(frozen=True)
class Charts:
    hours: list[int]
    arrivals_today: list[int]
    arrivals_usual: list[float]
    served_today: list[int]
    served_usual: list[float]
    usual_days: int  # how many past same weekdays the average is over
    waits: list[tuple[str, int]]


def read_charts(session: Session, hall: HallContext, now: datetime) -> Charts:
    calendar = hall.calendar
    today = calendar.business_day(now)
    bounds = calendar.session_bounds(today)
    first = bounds[0][0].hour
    last = (bounds[-1][1] - timedelta(seconds=1)).hour
    hours = list(range(first, last + 1))
    past = [today - timedelta(days=7 * k) for k in range(1, SAME_WEEKDAYS + 1)]
    arrivals: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    served: dict[date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    waits: list[timedelta] = []
    rows = session.execute(
        select(
            Ticket.business_day,
            Ticket.issued_at,
            Ticket.finished_at,
            Ticket.state,
            Ticket.order_at,
            Ticket.called_at,
        ).where(
            Ticket.hall_id == hall.id,
            Ticket.business_day.in_([today, *past]),
            Ticket.transferred_from.is_(None),
        )
    )
    for day, issued_at, finished_at, state, order_at, called_at in rows:
        arrivals[day][calendar.local(issued_at).hour] += 1
        if state == TicketState.FINISHED.value and finished_at is not None:
            served[day][calendar.local(finished_at).hour] += 1
        if day == today and called_at is not None:
            waits.append(max(timedelta(0), called_at - order_at))
    usual = [d for d in past if d in arrivals]
    return Charts(
        hours=hours,
        arrivals_today=[arrivals[today].get(h, 0) if today in arrivals else 0 for h in hours],
        arrivals_usual=average_by_hour([arrivals[d] for d in usual], hours),
        served_today=[served[today].get(h, 0) if today in served else 0 for h in hours],
        served_usual=average_by_hour([served.get(d, {}) for d in usual], hours),
        usual_days=len(usual),
        waits=wait_histogram(waits),
    )
