"""The demo hall carries its previous month, simulated once, so it has a bulletin to show.

The hall simulator plays each working day in memory (its planned visitors and clerks, the
hall's real call policy: `run_day` against `MemoryHall`), and every action it takes is
written as the row and the event the service layer would have written for it (tickets,
sign-ins, ratings and follow-ups; events with the same kinds and payloads, on the hall's hash
chain). Through the service layer the same month costs about 100 s of CPU (`hallq simulate
month`); this takes a few seconds, so `make demo` starts at once. Then the promised cases are
concluded (办结) through the assessment's CaseConclusionService, most on time, a few late.
Run again, it finds the month there and does nothing.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update

from queue_server.composition import filling_hall
from queue_server.config.models import HallConfig
from queue_server.domain.attendance import classify_sign_in, classify_sign_out
from queue_server.domain.calendar import HallCalendar
from queue_server.domain.clock import ManualClock
from queue_server.domain.estimate_calibration import (
    Calibration,
    CalibrationSample,
    fit,
    issued_payload,
)
from queue_server.domain.event_chain import ChainedEvent, epoch_seal, event_hash
from queue_server.domain.events import EventKind
from queue_server.domain.free_text import masked_payload
from queue_server.domain.months import previous_first
from queue_server.domain.rating import follow_up_deadline, is_bad
from queue_server.domain.tickets import CaseType
from queue_server.queueing.actions import (
    Action,
    Called,
    CallNext,
    Finish,
    Issue,
    Issued,
    NoShow,
    Pause,
    Rate,
    Recall,
    Resume,
    SignIn,
    SignOut,
    Start,
)
from queue_server.queueing.demand import RATING_LEVELS, RatingModel, hall_model
from queue_server.queueing.engine import run_day
from queue_server.queueing.estimates_seen import Seen, observe, samples_of, shown
from queue_server.queueing.memory import MemoryHall, drive
from queue_server.queueing.planning import plan_day
from queue_server.services.database import Database
from queue_server.services.estimate_calibration import HISTORY_DAYS
from queue_server.services.event_log import SYSTEM, Actor, forget_chain_heads
from queue_server.services.halls import HallRegistry
from queue_server.storage.tables import (
    Event,
    FollowUp,
    Hall,
    Rating,
    Ticket,
    User,
    WindowSignIn,
)

LATE_SHARE = 0.01  # promised cases concluded after their deadline in the demo month
KIOSK = "sim-kiosk"
SEED = 1


def previous_month(today: date) -> date:
    return previous_first(today)


@dataclass
class DayRows:
    events: list[dict[str, Any]] = field(default_factory=list)
    tickets: dict[str, dict[str, Any]] = field(default_factory=dict)
    sign_ins: list[dict[str, Any]] = field(default_factory=list)
    ratings: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)


class RecordingHall:
    """Answers the simulator like MemoryHall and keeps what the service layer would write."""

    def __init__(
        self, config: HallConfig, day: date, clerks: dict[int, tuple[str, str, str]]
    ) -> None:
        self.config = config
        self.calendar: HallCalendar = config.hall.calendar()
        self.memory = MemoryHall.of(config)
        self.day = day
        self.clerks = clerks  # window -> (user id, staff no, name)
        self.rows = DayRows()
        self.ids: dict[str, str] = {}  # visitor key -> ticket id
        self.open_sign_in: dict[int, dict[str, Any]] = {}
        self.paused_at: dict[int, tuple[datetime, str]] = {}
        self.window_names = {w.number: w.name.zh for w in config.windows}
        self.max_recalls = config.call_policy.max_recalls

    def _event(self, action: Action, kind: str, payload: dict[str, Any], **who: Any) -> None:
        self.rows.events.append({"kind": kind, "at": action.at, "payload": payload, **who})

    def _clerk(self, window: int) -> dict[str, Any]:
        return {"window_no": window, "clerk_id": self.clerks[window][0]}

    def execute(self, action: Action) -> Any:
        if isinstance(action, Issue):
            return self._issue(action)
        if isinstance(action, CallNext):
            return self._call(action)
        if isinstance(action, SignIn | SignOut):
            self._attendance(action)
        elif isinstance(action, Pause | Resume):
            self._pause(action)
        elif isinstance(action, Rate):
            self._rate(action)
        else:
            self._move(action)
        return True

    def _issue(self, action: Issue) -> Issued | None:
        issued = self.memory.issue(action)
        if issued is None:
            return None
        ticket_id = self.ids[action.visitor.key] = uuid.uuid4().hex
        service = action.visitor.service
        config = self.config.service(service)
        assert config is not None
        self.rows.tickets[ticket_id] = {
            "id": ticket_id,
            "hall_id": self.config.hall.id,
            "service_code": service,
            "business_day": self.day,
            "prefix": config.prefix,
            "seq_no": int(issued.number[len(config.prefix) :]),
            "number": issued.number,
            "priority": action.visitor.priority.value,
            "state": "waiting",
            "recall_count": 0,
            "issued_at": action.at,
            "order_at": action.at,
            "called_at": None,
            "started_at": None,
            "held_at": None,
            "finished_at": None,
            "window_no": None,
            "target_window": None,
            "case_type": None,
            "deadline": None,
            "transferred_from": None,
            "transferred_to": None,
            "note": None,
        }
        self._event(
            action,
            EventKind.TICKET_ISSUED,
            {
                "number": issued.number,
                "service": service,
                "priority": action.visitor.priority.value,
            },
            ticket_id=ticket_id,
            device_id=KIOSK,
        )
        return issued

    def _call(self, action: CallNext) -> Called | None:
        called = self.memory.call_next(action)
        if called is None:
            return None
        ticket = self.rows.tickets[self.ids[called.ticket]]
        ticket.update(state="called", called_at=action.at, window_no=action.window)
        self._event(
            action,
            EventKind.TICKET_CALLED,
            {
                "number": ticket["number"],
                "service": ticket["service_code"],
                "priority": ticket["priority"],
                "window_name": self.window_names[action.window],
                "waited_seconds": int((action.at - ticket["order_at"]).total_seconds()),
            },
            ticket_id=ticket["id"],
            **self._clerk(action.window),
        )
        return called

    def _move(self, action: Recall | Start | NoShow | Finish) -> None:
        ticket = self.rows.tickets[self.ids[action.ticket]]
        payload: dict[str, Any] = {"number": ticket["number"], "service": ticket["service_code"]}
        if isinstance(action, Recall):
            if not self.max_recalls:
                return
            ticket["recall_count"] += 1
            kind = EventKind.TICKET_RECALLED
            payload |= {"recall_count": ticket["recall_count"], "max_recalls": self.max_recalls}
        elif isinstance(action, Start):
            kind = EventKind.TICKET_STARTED
            ticket.update(state="serving", started_at=action.at)
        elif isinstance(action, NoShow):
            kind = EventKind.TICKET_NO_SHOW
            ticket.update(state="no_show", finished_at=action.at)
        else:
            kind = EventKind.TICKET_FINISHED
            started = ticket["started_at"] or action.at
            ticket.update(state="finished", finished_at=action.at)
            payload |= {
                "case_type": action.case_type.value,
                "handling_seconds": int((action.at - started).total_seconds()),
            }
            if action.case_type is CaseType.PROMISED:
                service = self.config.service(ticket["service_code"])
                days = max(1, service.publics.time_limit_days if service else 1)
                ticket["deadline"] = self.calendar.add_working_days(self.day, days)
                payload["deadline"] = ticket["deadline"].isoformat()
            ticket["case_type"] = action.case_type.value
        self._event(action, kind, payload, ticket_id=ticket["id"], **self._clerk(action.window))

    def _attendance(self, action: SignIn | SignOut) -> None:
        user_id, staff_no, name = self.clerks[action.window]
        if isinstance(action, SignIn):
            classified = classify_sign_in(
                self.calendar, action.at, timedelta(minutes=self.config.hall.late_after_minutes)
            )
            row = {
                "id": uuid.uuid4().hex,
                "hall_id": self.config.hall.id,
                "window_no": action.window,
                "user_id": user_id,
                "business_day": self.day,
                "signed_in_at": action.at,
                "sign_in_attendance": classified.attendance.value,
                "minutes_late": classified.minutes,
                "signed_out_at": None,
                "sign_out_attendance": None,
                "minutes_early": 0,
            }
            self.open_sign_in[action.window] = row
            self.rows.sign_ins.append(row)
            payload = {
                "name": name,
                "staff_no": staff_no,
                "attendance": classified.attendance.value,
                "minutes_late": classified.minutes,
            }
            self._event(action, EventKind.CLERK_SIGNED_IN, payload, **self._clerk(action.window))
            return
        row = self.open_sign_in.pop(action.window)
        signed_in_at = row["signed_in_at"]
        assert isinstance(signed_in_at, datetime)
        classified = classify_sign_out(self.calendar, action.at)
        row.update(
            signed_out_at=action.at,
            sign_out_attendance=classified.attendance.value,
            minutes_early=classified.minutes,
        )
        payload = {
            "name": name,
            "staff_no": staff_no,
            "attendance": classified.attendance.value,
            "minutes_early": classified.minutes,
            "signed_in_seconds": int((action.at - signed_in_at).total_seconds()),
        }
        self._event(action, EventKind.CLERK_SIGNED_OUT, payload, **self._clerk(action.window))

    def _pause(self, action: Pause | Resume) -> None:
        if isinstance(action, Pause):
            self.paused_at[action.window] = (action.at, action.reason)
            payload: dict[str, Any] = {"reason": action.reason, "note": action.note}
            self._event(action, EventKind.WINDOW_PAUSED, payload, **self._clerk(action.window))
            return
        since, reason = self.paused_at.pop(action.window)
        payload = {"reason": reason, "paused_seconds": int((action.at - since).total_seconds())}
        self._event(action, EventKind.WINDOW_RESUMED, payload, **self._clerk(action.window))

    def _rate(self, action: Rate) -> None:
        ticket = self.rows.tickets[self.ids[action.ticket]]
        level = RATING_LEVELS[action.score]
        rating_id = uuid.uuid4().hex
        device = f"sim-display-{action.window:02d}"
        self.rows.ratings.append(
            {
                "id": rating_id,
                "ticket_id": ticket["id"],
                "hall_id": self.config.hall.id,
                "window_no": action.window,
                "clerk_id": self.clerks[action.window][0],
                "business_day": self.day,
                "level": level.value,
                "reasons": [],
                "device": device,
                "rated_at": action.at,
            }
        )
        if is_bad(level):
            self.rows.follow_ups.append(
                {
                    "id": uuid.uuid4().hex,
                    "hall_id": self.config.hall.id,
                    "rating_id": rating_id,
                    "opened_at": action.at,
                    "deadline": follow_up_deadline(
                        self.calendar, self.day, self.config.rating.follow_up_working_days
                    ),
                    "state": "open",
                    "visitor_phone": None,
                }
            )
        self._event(
            action,
            EventKind.RATING_GIVEN,
            {"rating": rating_id},
            window_no=action.window,
            device_id=device,
        )


def fill_previous_month(
    database_url: str, config: HallConfig, now: datetime, *, hallq: str = "hallq"
) -> str:
    """Fills the month before `now` if it is empty; returns what it did, for the console
    (`hallq`: the command as the reader can run it)."""
    from queue_server.demo.follow_ups import follow_up_month

    calendar = config.hall.calendar()
    first = previous_month(calendar.business_day(now))
    month = f"{first:%Y-%m}"
    hint = f"{hallq} report month {month} --database {database_url}"
    with filling_hall(database_url, config, ManualClock(now)) as services:
        db, registry = services.db, services.halls
        if _tickets_in(db, config.hall.id, first):
            return f"  last month:      {month} is in the database; bulletin: {hint}"
        started = time.perf_counter()
        tickets = _simulate(db, config, first)
        concluded = conclude_promised_cases(db, registry, first, calendar.business_day(now))
        # Followed up as a real hall would: otherwise all overdue on the floor monitor.
        follow_up_month(db, registry, first, calendar.business_day(now))
        # Scored but left open, so supervision can add its entries in the demo and close it.
        scored = services.assessment.run_month(config.hall.id, month, SYSTEM)
    best = ", ".join(str(w) for w in scored.result.best_windows) or "none"
    return (
        f"  last month:      {month} simulated: {tickets} tickets, {concluded} promised cases "
        f"concluded, scored (best windows: {best}), in {time.perf_counter() - started:.1f} s; "
        f"bulletin: {hint}"
    )


def _following(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1)


def _tickets_in(db: Database, hall_id: str, first: date) -> int:
    with db.read() as session:
        return int(
            session.scalar(
                select(func.count()).where(
                    Ticket.hall_id == hall_id,
                    Ticket.business_day >= first,
                    Ticket.business_day < _following(first),
                )
            )
            or 0
        )


def _simulate(db: Database, config: HallConfig, first: date) -> int:
    calendar = config.hall.calendar()
    days = [first + timedelta(days=n) for n in range((_following(first) - first).days)]
    return simulate_days(db, config, [d for d in days if calendar.is_working_day(d)])


def simulate_days(db: Database, config: HallConfig, days: list[date]) -> int:
    """Plays and writes these working days (the hall's rows must exist); returns tickets."""
    from queue_server.simulation.inprocess import ensure_sim_clerks

    calendar = config.hall.calendar()
    clock = ManualClock(calendar.at(days[0], calendar.sessions[0][0]))
    users = ensure_sim_clerks(db, clock, config)
    with db.read() as session:
        known = {
            u.id: (u.staff_no, u.name)
            for u in session.scalars(select(User).where(User.id.in_(users.values())))
        }
    clerks = {window: (uid, *known[uid]) for window, uid in users.items()}
    model = hall_model(config, ratings=RatingModel())
    tickets = 0
    history: list[list[CalibrationSample]] = []
    for day in days:
        recorder = RecordingHall(config, day, clerks)
        plan = plan_day(config, day, model, SEED)
        result = drive(run_day(plan), recorder)
        # As the server: calibrated on the outcomes of the working days before.
        calibration = fit(s for earlier in history[-HISTORY_DAYS:] for s in earlier)
        seen = observe(config, plan, result)
        _record_estimates(recorder, seen, calibration)
        history.append(samples_of(seen, calibration))
        _write(db, config.hall.id, recorder.rows)
        tickets += len(recorder.rows.tickets)
    return tickets


def _record_estimates(recorder: RecordingHall, seen: list[Seen], calibration: Calibration) -> None:
    """Each `ticket.issued` gets the estimate the server would have shown at that instant
    (`estimate_at_issue` on what the floor showed), so the floor monitor's and the bulletin's
    estimate-accuracy tables have the demo month's figures."""
    by_ticket = {recorder.ids[s.visitor]: s for s in seen if s.visitor in recorder.ids}
    for event in recorder.rows.events:
        if event["kind"] != EventKind.TICKET_ISSUED:
            continue
        s = by_ticket.get(event.get("ticket_id", ""))
        if s is not None:
            event["payload"].update(issued_payload(shown(s, calibration), s.ahead))


def _write(db: Database, hall_id: str, rows: DayRows) -> None:
    """One day in one transaction, its events appended to the hall's chain."""
    with db.write() as work:
        session = work.session
        hall = session.execute(
            select(Hall).where(Hall.id == hall_id).with_for_update()
        ).scalar_one()
        seq, last = hall.last_seq, hall.last_hash
        # Keyed like append_event: the first keyed write of a hall starts its key epoch.
        key = work.chain_key
        if key is None:
            raise RuntimeError("this writer has no chain key; it cannot append to the event log")
        keyed_from = hall.chain_keyed_from or seq + 1
        events = []
        for item in sorted(rows.events, key=lambda e: e["at"]):  # stable: same-instant order
            seq += 1
            row = {
                "hall_id": hall_id,
                "seq": seq,
                "kind": item["kind"],
                "at": item["at"],
                "ticket_id": item.get("ticket_id"),
                "window_no": item.get("window_no"),
                "clerk_id": item.get("clerk_id"),
                "device_id": item.get("device_id"),
                "payload": masked_payload(item["payload"]),
            }
            digest = event_hash(
                last,
                ChainedEvent(
                    hall_id,
                    seq,
                    row["kind"],
                    row["at"],
                    row["ticket_id"],
                    row["window_no"],
                    row["clerk_id"],
                    row["device_id"],
                    row["payload"],
                ),
                key,
            )
            row["prev_hash"], row["hash"], last = last, digest, digest
            events.append(row)
        for table, items in (
            (Ticket, list(rows.tickets.values())),
            (WindowSignIn, rows.sign_ins),
            (Rating, rows.ratings),
            (FollowUp, rows.follow_ups),
            (Event, events),
        ):
            if items:
                session.execute(insert(table), items)
        session.execute(
            update(Hall)
            .where(Hall.id == hall_id)
            .values(
                last_seq=seq,
                last_hash=last,
                chain_keyed_from=keyed_from,
                chain_epoch_seal=epoch_seal(key, hall_id, keyed_from),
            )
        )
        # The head moved here, not through append_event.
        forget_chain_heads(session)


def conclude_promised_cases(db: Database, halls: HallRegistry, first: date, today: date) -> int:
    """Concludes the month's promised cases: on a working day up to the deadline, a few late;
    never after today (those stay open, as they would be)."""
    from queue_server.services.case_conclusions import CaseConclusionService

    [hall] = halls.all()
    calendar = hall.calendar
    with db.read() as session:
        cases = session.execute(
            select(Ticket.id, Ticket.window_no, Ticket.business_day, Ticket.deadline)
            .where(
                Ticket.hall_id == hall.id,
                Ticket.case_type == "promised",
                Ticket.business_day >= first,
                Ticket.business_day < _following(first),
            )
            .order_by(Ticket.finished_at)
        ).all()
        finishers = dict(
            session.execute(
                select(Event.ticket_id, Event.clerk_id).where(
                    Event.hall_id == hall.id,
                    Event.kind == EventKind.TICKET_FINISHED,
                    Event.ticket_id.in_([c.id for c in cases]),
                )
            ).all()
        )
    rnd = random.Random(f"conclude-{first}")
    clock = ManualClock(calendar.at(first, calendar.sessions[0][0]))
    service = CaseConclusionService(db, halls, clock)
    done = 0
    for ticket_id, window, finished_on, deadline in cases:
        if deadline is None or window is None:
            continue  # a promised case has both (how tickets are written above)
        if rnd.random() < LATE_SHARE:
            day = calendar.add_working_days(deadline, rnd.randint(1, 2))
        else:
            span = calendar.working_days_between(finished_on, deadline)
            day = calendar.add_working_days(finished_on, rnd.randint(1, max(1, span)))
        if day > today:
            continue
        clock.set(calendar.at(day, calendar.sessions[-1][1]) - timedelta(minutes=30))
        service.conclude(hall.id, window, ticket_id, day, Actor(clerk=finishers.get(ticket_id)))
        done += 1
    return done
