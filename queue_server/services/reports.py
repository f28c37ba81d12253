"""Reading a month of the hall's log and tables for the measures (the thin database part).

The month's events are streamed in sequence order into `MonthAccumulator`; the rating levels
(kept in the ratings table, never in the event), follow-ups, staff numbers and the promised
cases carried over from earlier months are read beside them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from typing import cast as typed

from sqlalchemy import String, Text, and_, bindparam, case, cast, exists, func, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from queue_server.domain.calendar import HallCalendar
from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.estimate_quality import per_service
from queue_server.domain.events import EventKind
from queue_server.domain.month_checkpoint import inputs_digest
from queue_server.domain.month_measures import (
    EstimateAccuracy,
    MonthMeasures,
    ReportingMeasures,
    YearSummary,
)
from queue_server.domain.month_pass import (
    MEASURED_KINDS,
    CarriedCase,
    FollowUpRow,
    MeasureRules,
    MonthAccumulator,
    MonthContext,
    RatingRow,
    Row,
    ServiceInfo,
    WindowInfo,
)
from queue_server.domain.months import bounds_of, parse_month
from queue_server.domain.year_summary import summarise_year
from queue_server.services.collector import collector_paused
from queue_server.services.database import Database
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.haocha import month_reporting
from queue_server.services.month_checkpoints import frozen, keep, resume
from queue_server.services.plain_rows import plain_batches
from queue_server.storage.tables import Event, FollowUp, Rating, Ticket, User

CONCLUDED = EventKind.CASE_CONCLUDED.value
# The month's query asks for exactly the kinds the measures handle (plain text for the driver).
QUERIED_KINDS: tuple[str, ...] = tuple(kind.value for kind in MEASURED_KINDS)
BATCH = 5000

Progress = Callable[[int, int], None]  # (events read, events in the month)


def _measure_rules(hall: HallContext) -> MeasureRules:
    section = hall.config.assessment
    return MeasureRules(
        off_post_pause_minutes=section.off_post_pause_minutes,
        unattended_grace_minutes=section.unattended_grace_minutes,
    )


class ReportService:
    def __init__(
        self,
        db: Database,
        halls: HallRegistry,
        clock: Clock,
        rules: MeasureRules | None = None,
    ) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self.rules = rules  # None: each hall's own, from its [assessment] section

    def month_measures(
        self,
        hall_id: str,
        month: str | date,
        progress: Progress | None = None,
        resumed: Callable[[int], None] | None = None,
    ) -> MonthMeasures:
        """`progress(read, in all)` as the events are read (it costs a count of them first);
        `resumed(events)` once, with how many events a kept pass had read already (0 when
        the month is read whole)."""
        with collector_paused():
            return self._month_measures(hall_id, month, progress, resumed)

    def _month_measures(
        self,
        hall_id: str,
        month: str | date,
        progress: Progress | None,
        resumed: Callable[[int], None] | None,
    ) -> MonthMeasures:
        hall = self.halls.get(hall_id)
        first, last = bounds_of(parse_month(month) if isinstance(month, str) else month)
        today = hall.calendar.business_day(self.clock.now())
        if first > today:
            raise RuleViolation(f"{first:%Y-%m} has not begun yet", code="month_in_future")
        start, end = self._utc_bounds(hall, first, last)
        with self.db.read() as session:
            concluded = _conclusions(session, hall.id, first, start, end)
            context = MonthContext(
                hall_id=hall.id,
                hall_name_zh=hall.config.hall.name.zh,
                calendar=hall.calendar,
                first_day=first,
                last_day=last,
                as_of=min(last, today),
                services=[
                    ServiceInfo(
                        s.code,
                        s.name.zh,
                        hall.config.target_wait_minutes(s),
                    )
                    for s in hall.config.services
                ],
                windows=[WindowInfo(w.number, w.name.zh) for w in hall.config.windows],
                default_target_wait_minutes=hall.config.call_policy.target_wait_minutes,
                staff_by_user=_staff_numbers(session, hall.id),
                ratings=_ratings(session, hall.id, start, end),
                follow_ups=_follow_ups(session, hall.id, hall.calendar, first, last),
                carried_cases=_carried_cases(session, hall.id, first, start, concluded),
                conclusions=concluded,
                rules=self.rules or _measure_rules(hall),
            )
            # The pass kept by an earlier run of this month, when its inputs are the same:
            # only the events appended since are read (services/month_checkpoints.py). Kept
            # passes are signed with the chain's key; where there is none, none is kept.
            month_key = f"{first:%Y-%m}"
            key = self.db.existing_chain_key
            digest = inputs_digest(context) if key is not None else ""
            accumulator = None
            if key is not None:
                accumulator = resume(session, key, context, month_key, digest)
            if accumulator is None:
                accumulator = MonthAccumulator(context)
            kept_events, after = accumulator.events, accumulator.last_seq
            if resumed is not None:
                resumed(kept_events)
            # Progress counts the month's events, those the kept pass had read included.
            total = 0
            if progress is not None:
                total = kept_events + _count(session, hall.id, start, end, after)
                progress(kept_events, total)
            done = kept_events
            rows, parse_at = _event_rows(session, hall.id, start, end, after)
            try:
                for batch in rows:
                    accumulator.add_rows(batch, parse_at)
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
            finally:
                rows.close()  # the cursor, inside the transaction, even when the pass raised
            if progress is not None:
                progress(done, max(done, total))
            to_keep = None
            if key is not None and accumulator.events > kept_events:  # result() closes the day
                to_keep = frozen(accumulator, key, hall.id, month_key, digest)
            result = accumulator.result()
        if to_keep is not None:
            keep(self.db, to_keep, self.clock.now())
        accuracy = [
            EstimateAccuracy(
                q.service, q.called, q.coverage, q.median_error_minutes, q.median_width_minutes
            )
            for q in per_service(accumulator.estimate_outcomes())
        ]
        result = replace(result, estimates=accuracy)
        if hall.config.haocha.enabled:
            reported, pending = month_reporting(self.db, hall, first, last)
            result = replace(result, reporting=ReportingMeasures(reported, pending))
        return result

    def year_summary(
        self,
        hall_id: str,
        year: int,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> tuple[YearSummary, list[MonthMeasures]]:
        """The year's months that have begun, each measured, then summed."""
        hall = self.halls.get(hall_id)
        today = hall.calendar.business_day(self.clock.now())
        months: list[MonthMeasures] = []
        for number in range(1, 13):
            first = date(year, number, 1)
            if first > today:
                break
            label = f"{first:%Y-%m}"

            def report(done: int, total: int, label: str = label) -> None:
                if progress is not None:
                    progress(label, done, total)

            months.append(self.month_measures(hall.id, first, report))
        return summarise_year(hall.id, hall.config.hall.name.zh, year, months), months

    @staticmethod
    def _utc_bounds(hall: HallContext, first: date, last: date) -> tuple[datetime, datetime]:
        zone = hall.calendar.zone
        start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
        return start, end


def _month_filter(hall_id: str, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(
        Event.hall_id == hall_id,
        Event.kind.in_(QUERIED_KINDS),
        Event.at >= start,
        Event.at < end,
    )


def _count(session: Session, hall_id: str, start: datetime, end: datetime, after: int) -> int:
    where = _month_filter(hall_id, start, end)
    return int(session.scalar(select(func.count()).where(where, Event.seq > after)) or 0)


# The kinds whose payload the measures read; the others' come as None (never sent).
READS_PAYLOAD: tuple[str, ...] = tuple(
    kind.value
    for kind in (
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
    )
)


POSTGRES_ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'


def _event_rows(
    session: Session, hall_id: str, start: datetime, end: datetime, after: int = 0
) -> tuple[Generator[Sequence[Row]], Callable[[str], datetime]]:
    """The month's events in sequence order, in batches of the driver's plain tuples, and how
    to read their instant. The payload comes as text, decoded by the pass only where it is
    read: a busy month is dominated by per-row costs. The instants come as ISO text in UTC,
    made aware by `fromisoformat` at a fraction of the generic DateTime processing: SQLite
    keeps them as naive UTC text (the offset is appended); PostgreSQL writes them with an
    explicit format, whatever the session's DateStyle. On PostgreSQL this also spares the
    pass instants in the session's zone (a ZoneInfo), which compare with its UTC day bounds
    through an offset lookup each time."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    at_column: ColumnElement[Any] = (
        type_coerce(Event.at, String) + "+00:00"
        if sqlite
        else func.to_char(func.timezone("UTC", Event.at), POSTGRES_ISO_UTC)
    )
    statement = (
        select(
            Event.seq,
            Event.kind,
            at_column,
            Event.ticket_id,
            Event.window_no,
            Event.clerk_id,
            case(
                (
                    Event.kind.in_(bindparam("read", READS_PAYLOAD, literal_execute=True)),
                    cast(Event.payload, Text),
                )
            ),
        )
        .where(
            Event.hall_id == hall_id,
            Event.kind.in_(bindparam("kinds", QUERIED_KINDS, literal_execute=True)),
            Event.at >= start,
            Event.at < end,
            Event.seq > after,
        )
        .order_by(Event.seq)
    )
    batches = plain_batches(session.connection(), statement, BATCH)
    return typed(Generator[Sequence[Row]], batches), datetime.fromisoformat


def _staff_numbers(session: Session, hall_id: str) -> dict[str, str]:
    return dict(
        session.execute(select(User.id, User.staff_no).where(User.hall_id == hall_id)).all()
    )


def _ratings(
    session: Session, hall_id: str, start: datetime, end: datetime
) -> dict[str, RatingRow]:
    # A busy month has tens of thousands: plain rows, the reasons decoded only when there are
    # some, the day read from SQLite's text with fromisoformat.
    sqlite = session.get_bind().dialect.name == "sqlite"
    day_column: ColumnElement[Any] | InstrumentedAttribute[date] = (
        type_coerce(Rating.business_day, String) if sqlite else Rating.business_day
    )
    statement = select(
        Rating.id,
        Rating.window_no,
        Rating.clerk_id,
        Rating.level,
        cast(Rating.reasons, Text),
        day_column,
    ).where(Rating.hall_id == hall_id, Rating.rated_at >= start, Rating.rated_at < end)
    loads, day_of = json.loads, date.fromisoformat
    ratings: dict[str, RatingRow] = {}
    for batch in plain_batches(session.connection(), statement, BATCH):
        for rid, window, clerk, level, reasons, day in batch:
            ratings[rid] = RatingRow(
                window,
                clerk,
                level,
                tuple(loads(reasons) or ()) if reasons and reasons not in NO_REASONS else (),
                day_of(day) if sqlite else day,
            )
    return ratings


NO_REASONS = frozenset({"null", "[]"})


def _follow_ups(
    session: Session, hall_id: str, calendar: HallCalendar, first: date, last: date
) -> list[FollowUpRow]:
    rows = session.execute(
        select(
            FollowUp.rating_id,
            Rating.window_no,
            Rating.clerk_id,
            Rating.business_day,
            FollowUp.deadline,
            FollowUp.state,
            FollowUp.closed_at,
        )
        .join(Rating, Rating.id == FollowUp.rating_id)
        .where(
            FollowUp.hall_id == hall_id,
            Rating.business_day >= first,
            Rating.business_day <= last,
        )
        .order_by(FollowUp.deadline, FollowUp.opened_at)
    )
    return [
        FollowUpRow(
            rating_id=rid,
            window=window,
            clerk=clerk,
            opened_on=day,
            deadline=deadline,
            state=state,
            closed_on=calendar.business_day(closed_at) if closed_at else None,
        )
        for rid, window, clerk, day, deadline, state, closed_at in rows
    ]


def _conclusions(
    session: Session, hall_id: str, first: date, start: datetime, end: datetime
) -> dict[str, tuple[date, int]]:
    """Every conclusion (办结) of a promised case finished before the month's end, by the day
    it happened (`concluded_on`), whenever it was recorded: a case concluded on time and
    recorded a week later was on time. Keyed by ticket: (concluded_on, the event's seq).

    Not those recorded before the month began: their day is before it too (a conclusion is
    never dated after the day it is recorded), so their cases are over before the month and
    `_carried_cases` leaves them out. Read, they were a year of a busy hall's conclusions on
    every run of a month."""
    rows = session.execute(
        select(Event.ticket_id, Event.seq, cast(Event.payload, Text))
        .join(Ticket, Ticket.id == Event.ticket_id)
        .where(
            Event.hall_id == hall_id,
            Event.kind == CONCLUDED,
            Event.at >= start,
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
    session: Session,
    hall_id: str,
    first: date,
    start: datetime,
    concluded: dict[str, tuple[date, int]],
) -> list[CarriedCase]:
    """Promised cases finished before the month whose deadline is not yet past its start, or
    which were still open when it began. A case whose conclusion was recorded before the month
    began is left out by the query (its conclusion day is before the month too); one recorded
    later but dated before the month, by `concluded` below."""
    concluded_earlier = aliased(Event)
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
            ~exists().where(
                concluded_earlier.ticket_id == Ticket.id,
                concluded_earlier.kind == CONCLUDED,
                concluded_earlier.at < start,
            ),
        )
    ).all()
    if not rows:
        return []
    cases = []
    for ticket_id, number, service, window, day, deadline, seq, clerk in rows:
        if deadline is None:
            continue  # excluded by the query; here for the type
        done = concluded.get(ticket_id)
        if done is not None and done[0] < first:
            continue  # concluded before the month: nothing of it falls here
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
