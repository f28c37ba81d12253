"""A synthetic busy hall for the reports benchmark, written straight into the tables.

The hall simulator goes through the service layer (about 70 ms per ticket), far too slow for a
150,000-ticket month; this writes the rows the service layer would have written (tickets,
events with a valid hash chain, ratings, follow-ups, clerks) in bulk. Every event has the
kind and payload the real services give it, so the measures read exactly what they read in a
real hall. The chain is real: `hallq audit verify` passes on the result.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, update

from queue_server.config.loader import parse_hall_config
from queue_server.config.models import HallConfig
from queue_server.domain.attendance import classify_sign_in, classify_sign_out
from queue_server.domain.calendar import HallCalendar
from queue_server.domain.clock import SystemClock
from queue_server.domain.event_chain import GENESIS_HASH, ChainedEvent, epoch_seal, event_hash
from queue_server.domain.tickets import format_number
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.storage.migrate import upgrade
from queue_server.storage.tables import Event, FollowUp, Hall, Rating, Ticket, User

HALL = "bench"
SERVICES = 12
LEVELS = (
    ("very_satisfied", 0.55),
    ("satisfied", 0.30),
    ("basically_satisfied", 0.10),
    ("dissatisfied", 0.03),
    ("very_dissatisfied", 0.02),
)
CHUNK = 5000


def hall_config(windows: int) -> HallConfig:
    services = min(SERVICES, windows)
    lines = [
        "[hall]",
        f'id = "{HALL}"',
        'name = { zh = "基准测试政务服务大厅", en = "Benchmark hall" }',
        "",
    ]
    for s in range(services):
        lines += [
            "[[services]]",
            f'code = "S{s:02d}"',
            f'name = {{ zh = "事项{s + 1}", en = "Service {s + 1}" }}',
            f'prefix = "{chr(ord("A") + s)}"',
            "[services.publics]",
            f'content = {{ zh = "事项{s + 1}" }}',
            f"time_limit_days = {3 if s % 3 == 0 else 0}",
            "",
        ]
    for w in range(1, windows + 1):
        first, second = (w - 1) % services, w % services
        lines += [
            "[[windows]]",
            f"number = {w}",
            f'name = {{ zh = "{w}号窗口" }}',
            f"services = {{ S{first:02d} = 3, S{second:02d} = 1 }}"
            if first != second
            else f"services = {{ S{first:02d} = 1 }}",
            "",
        ]
    return parse_hall_config("\n".join(lines), "<bench hall>")


@dataclass
class Rows:
    events: list[dict[str, Any]]
    tickets: list[dict[str, Any]]
    ratings: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]


class Writer:
    """Builds one day's rows at a time and appends them with their hash chain."""

    def __init__(self, engine: Engine, config: HallConfig, seed: int) -> None:
        self.engine = engine
        # Keyed like the live path (HALLQ_CHAIN_KEY_FILE), so `hallq audit verify` passes.
        self.key = Database(engine).chain_key
        self.config = config
        self.calendar: HallCalendar = config.hall.calendar()
        self.random = random.Random(seed)
        self.seq = 0
        self.hash = GENESIS_HASH
        self.clerks = {w.number: (uuid.uuid4().hex, f"B{w.number:04d}") for w in config.windows}

    def prepare(self) -> None:
        upgrade(self.engine)
        ensure_halls(Database(self.engine), HallRegistry([self.config]), SystemClock())
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(
                update(Hall)
                .where(Hall.id == HALL)
                .values(chain_keyed_from=1, chain_epoch_seal=epoch_seal(self.key, HALL, 1))
            )
            conn.execute(
                insert(User),
                [
                    {
                        "id": user_id,
                        "hall_id": HALL,
                        "staff_no": staff_no,
                        "name": f"clerk {staff_no}",
                        "role": "clerk",
                        "password_hash": None,
                        "active": True,
                        "created_at": now,
                        "disabled_at": None,
                    }
                    for user_id, staff_no in self.clerks.values()
                ],
            )

    def write_day(self, day: date, tickets_per_window: int) -> int:
        rows = self._day(day, tickets_per_window)
        with self.engine.begin() as conn:
            for table, items in (
                (Ticket, rows.tickets),
                (Rating, rows.ratings),
                (FollowUp, rows.follow_ups),
                (Event, rows.events),
            ):
                for start in range(0, len(items), CHUNK):
                    conn.execute(insert(table), items[start : start + CHUNK])
            conn.execute(
                update(Hall).where(Hall.id == HALL).values(last_seq=self.seq, last_hash=self.hash)
            )
        return len(rows.events)

    # ----- one day ---------------------------------------------------------------------------

    def _day(self, day: date, per_window: int) -> Rows:
        rnd = self.random
        raw: list[tuple[datetime, int, dict[str, Any]]] = []  # (at, order, event fields)
        tickets: list[dict[str, Any]] = []
        ratings: list[dict[str, Any]] = []
        follow_ups: list[dict[str, Any]] = []
        counters: dict[str, int] = {}
        order = 0

        def emit(at: datetime, kind: str, **fields: Any) -> None:
            nonlocal order
            order += 1
            raw.append((at, order, {"kind": kind, **fields}))

        bounds = self.calendar.session_bounds(day)
        minutes = sum((e - s).total_seconds() for s, e in bounds) / 60
        cycle = minutes * 0.85 / per_window
        for window in self.config.windows:
            user_id, staff_no = self.clerks[window.number]
            codes = list(window.services)
            per_session = [
                round(per_window * (e - s).total_seconds() / 60 / minutes) for s, e in bounds
            ]
            for (start, end), count in zip(bounds, per_session, strict=True):
                came = start - timedelta(minutes=rnd.uniform(1, 10))
                if rnd.random() < 0.03:
                    came = start + timedelta(minutes=rnd.uniform(2, 15))
                sign_in = classify_sign_in(self.calendar, came)
                emit(
                    came,
                    "clerk.signed_in",
                    window_no=window.number,
                    clerk_id=user_id,
                    payload={
                        "name": f"clerk {staff_no}",
                        "staff_no": staff_no,
                        "attendance": sign_in.attendance.value,
                        "minutes_late": sign_in.minutes,
                    },
                )
                free = max(came, start) + timedelta(seconds=30)
                paused = False
                for _ in range(count):
                    if not paused and free > start + (end - start) / 2:
                        paused = True
                        length = timedelta(minutes=rnd.uniform(5, 40))
                        reason = rnd.choice(("break", "break", "meeting", "other"))
                        emit(
                            free,
                            "window.paused",
                            window_no=window.number,
                            clerk_id=user_id,
                            payload={"reason": reason, "note": None},
                        )
                        emit(
                            free + length,
                            "window.resumed",
                            window_no=window.number,
                            clerk_id=user_id,
                            payload={"reason": reason, "paused_seconds": int(length.seconds)},
                        )
                        free += length
                    service = codes[0] if rnd.random() < 0.75 else codes[-1]
                    config = self.config.service(service)
                    assert config is not None
                    seq_no = counters[config.prefix] = counters.get(config.prefix, 0) + 1
                    number = format_number(config.prefix, seq_no)
                    wait = timedelta(minutes=min(150, rnd.expovariate(1 / 12)))
                    issued = max(start + timedelta(seconds=rnd.uniform(0, 60)), free - wait)
                    called = max(free, issued + timedelta(seconds=5))
                    ticket_id = uuid.uuid4().hex
                    priority = "green" if rnd.random() < 0.05 else "normal"
                    emit(
                        issued,
                        "ticket.issued",
                        ticket_id=ticket_id,
                        device_id="kiosk-1",
                        payload={"number": number, "service": service, "priority": priority},
                    )
                    call_payload: dict[str, Any] = {
                        "number": number,
                        "service": service,
                        "priority": priority,
                        "window_name": window.name.zh,
                        "waited_seconds": int((called - issued).total_seconds()),
                    }
                    if rnd.random() < 0.005:
                        call_payload |= {"out_of_order": True, "reason": "elderly visitor"}
                    at_window = {"window_no": window.number, "clerk_id": user_id}
                    emit(
                        called,
                        "ticket.called",
                        ticket_id=ticket_id,
                        **at_window,
                        payload=call_payload,
                    )
                    ticket = {
                        "id": ticket_id,
                        "hall_id": HALL,
                        "service_code": service,
                        "business_day": day,
                        "prefix": config.prefix,
                        "seq_no": seq_no,
                        "number": number,
                        "priority": priority,
                        "recall_count": 0,
                        "issued_at": issued,
                        "order_at": issued,
                        "called_at": called,
                        "started_at": None,
                        "held_at": None,
                        "window_no": window.number,
                        "target_window": None,
                        "case_type": None,
                        "deadline": None,
                        "transferred_from": None,
                        "transferred_to": None,
                        "note": None,
                    }
                    tickets.append(ticket)
                    if rnd.random() < 0.03:
                        emit(
                            called + timedelta(minutes=1),
                            "ticket.recalled",
                            ticket_id=ticket_id,
                            **at_window,
                            payload={
                                "number": number,
                                "service": service,
                                "recall_count": 1,
                                "max_recalls": 3,
                            },
                        )
                        gone = called + timedelta(minutes=2)
                        emit(
                            gone,
                            "ticket.no_show",
                            ticket_id=ticket_id,
                            **at_window,
                            payload={"number": number, "service": service},
                        )
                        ticket |= {"state": "no_show", "finished_at": gone, "recall_count": 1}
                        free = gone
                        continue
                    started = called + timedelta(seconds=rnd.uniform(20, 90))
                    emit(
                        started,
                        "ticket.started",
                        ticket_id=ticket_id,
                        **at_window,
                        payload={"number": number, "service": service},
                    )
                    handling = timedelta(minutes=max(0.5, rnd.lognormvariate(0, 0.5) * cycle))
                    finished = started + handling
                    if rnd.random() < 0.02:
                        held = started + handling / 2
                        back = held + timedelta(minutes=rnd.uniform(2, 5))
                        emit(
                            held,
                            "ticket.held",
                            ticket_id=ticket_id,
                            **at_window,
                            payload={"number": number, "service": service},
                        )
                        emit(
                            back,
                            "ticket.returned",
                            ticket_id=ticket_id,
                            **at_window,
                            payload={"number": number, "held_seconds": int((back - held).seconds)},
                        )
                        finished = back + handling / 2
                    ticket |= {"started_at": started, "finished_at": finished}
                    if rnd.random() < 0.01:
                        leg = uuid.uuid4().hex
                        other = codes[-1] if service == codes[0] else codes[0]
                        emit(
                            finished,
                            "ticket.transferred",
                            ticket_id=ticket_id,
                            **at_window,
                            payload={
                                "number": number,
                                "from_service": service,
                                "to_service": other,
                                "to_window": None,
                                "new_ticket": leg,
                                "note": "other service",
                            },
                        )
                        ticket |= {"state": "transferred", "transferred_to": leg}
                        # The other service is served at this window too: it calls the leg next.
                        leg_called = finished + timedelta(seconds=10)
                        leg_started = leg_called + timedelta(seconds=30)
                        leg_done = leg_started + handling
                        for kind, at in (
                            ("ticket.called", leg_called),
                            ("ticket.started", leg_started),
                        ):
                            emit(
                                at,
                                kind,
                                ticket_id=leg,
                                **at_window,
                                payload={
                                    "number": number,
                                    "service": other,
                                    "priority": priority,
                                    "waited_seconds": 10,
                                },
                            )
                        emit(
                            leg_done,
                            "ticket.finished",
                            ticket_id=leg,
                            **at_window,
                            payload={
                                "number": number,
                                "service": other,
                                "case_type": "immediate",
                                "handling_seconds": int(handling.total_seconds()),
                            },
                        )
                        tickets.append(
                            ticket
                            | {
                                "id": leg,
                                "service_code": other,
                                "called_at": leg_called,
                                "started_at": leg_started,
                                "finished_at": leg_done,
                                "state": "finished",
                                "case_type": "immediate",
                                "transferred_from": ticket_id,
                                "transferred_to": None,
                            }
                        )
                        free = leg_done
                        continue
                    promised = config.publics.time_limit_days > 0 and rnd.random() < 0.3
                    case_type = (
                        "promised" if promised else rnd.choice(("immediate",) * 9 + ("reply",))
                    )
                    finish_payload: dict[str, Any] = {
                        "number": number,
                        "service": service,
                        "case_type": case_type,
                        "handling_seconds": int((finished - started).total_seconds()),
                    }
                    if promised:
                        deadline = self.calendar.add_working_days(day, 3)
                        finish_payload["deadline"] = deadline.isoformat()
                        ticket["deadline"] = deadline
                    emit(
                        finished,
                        "ticket.finished",
                        ticket_id=ticket_id,
                        **at_window,
                        payload=finish_payload,
                    )
                    ticket |= {"state": "finished", "case_type": case_type}
                    if rnd.random() < 0.5:
                        rated = finished + timedelta(seconds=20)
                        level = _level(rnd)
                        rating_id = uuid.uuid4().hex
                        ratings.append(
                            {
                                "id": rating_id,
                                "ticket_id": ticket_id,
                                "hall_id": HALL,
                                "window_no": window.number,
                                "clerk_id": user_id,
                                "business_day": day,
                                "level": level,
                                "reasons": ["long_wait"]
                                if level in ("dissatisfied", "very_dissatisfied")
                                else [],
                                "device": f"display-{window.number}",
                                "rated_at": rated,
                            }
                        )
                        if level in ("dissatisfied", "very_dissatisfied"):
                            follow_ups.append(
                                {
                                    "id": uuid.uuid4().hex,
                                    "hall_id": HALL,
                                    "rating_id": rating_id,
                                    "opened_at": rated,
                                    "deadline": self.calendar.add_working_days(day, 5),
                                    "state": "open",
                                }
                            )
                        emit(
                            rated,
                            "rating.given",
                            window_no=window.number,
                            device_id=f"display-{window.number}",
                            payload={"rating": rating_id},
                        )
                    free = finished + timedelta(seconds=rnd.uniform(5, 40))
                left = max(free, end + timedelta(minutes=rnd.uniform(0, 5)))
                if rnd.random() < 0.02:
                    left = min(left, end - timedelta(minutes=rnd.uniform(5, 20)))
                    left = max(left, free)
                sign_out = classify_sign_out(self.calendar, left)
                emit(
                    left,
                    "clerk.signed_out",
                    window_no=window.number,
                    clerk_id=user_id,
                    payload={
                        "name": f"clerk {staff_no}",
                        "staff_no": staff_no,
                        "attendance": sign_out.attendance.value,
                        "minutes_early": sign_out.minutes,
                        "signed_in_seconds": int((left - came).total_seconds()),
                    },
                )
        raw.sort(key=lambda item: (item[0], item[1]))
        return Rows(list(self._chained(raw)), tickets, ratings, follow_ups)

    def _chained(self, raw: list[tuple[datetime, int, dict[str, Any]]]) -> Iterator[dict[str, Any]]:
        for at, _, fields in raw:
            self.seq += 1
            row = {
                "hall_id": HALL,
                "seq": self.seq,
                "kind": fields["kind"],
                "at": at,
                "ticket_id": fields.get("ticket_id"),
                "window_no": fields.get("window_no"),
                "clerk_id": fields.get("clerk_id"),
                "device_id": fields.get("device_id"),
                "payload": fields["payload"],
            }
            digest = event_hash(
                self.hash,
                ChainedEvent(
                    HALL,
                    self.seq,
                    row["kind"],
                    at,
                    row["ticket_id"],
                    row["window_no"],
                    row["clerk_id"],
                    row["device_id"],
                    row["payload"],
                ),
                self.key,
            )
            row["prev_hash"], row["hash"] = self.hash, digest
            self.hash = digest
            yield row


def _level(rnd: random.Random) -> str:
    draw = rnd.random()
    for level, share in LEVELS:
        draw -= share
        if draw < 0:
            return level
    return LEVELS[0][0]


def fill(
    engine: Engine,
    config: HallConfig,
    months: list[date],
    tickets_per_month: int,
    seed: int = 1,
    on_day: Any = None,
) -> tuple[int, int]:
    """Writes the months (first days given); returns (tickets, events)."""
    writer = Writer(engine, config, seed)
    writer.prepare()
    calendar = writer.calendar
    windows = len(config.windows)
    tickets = events = 0
    for first in months:
        days = []
        day = first
        while day.month == first.month:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        per_window = max(1, round(tickets_per_month / len(days) / windows))
        for day in days:
            events += writer.write_day(day, per_window)
            tickets += per_window * windows
            if on_day is not None:
                on_day(day, tickets, events)
    return tickets, events
