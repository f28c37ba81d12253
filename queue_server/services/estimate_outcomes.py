"""Estimates given at issue against real waits, read from the event log.

`ticket.issued` carries the range the visitor was told (`estimate`: [low, high], or null when
no window was open); the first `ticket.called` of the same ticket ends the wait. Tickets not
called (yet), and those issued before estimates were recorded, are left out.

The floor monitor asks for today's figures on every refresh: a busy day is thousands of
events, so the answer is cached per hall for a minute.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from queue_server.domain.clock import Clock
from queue_server.domain.estimate_quality import Outcome, Quality, per_service, per_service_and_day
from queue_server.services.database import Database
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.storage.tables import Event

CACHE_SECONDS = 60


@dataclass(frozen=True)
class Waited:
    """A ticket issued and called between two days: its `ticket.issued` payload and its wait."""

    at: datetime
    payload: dict[str, Any]
    waited_minutes: float


def waits_between(db: Database, hall: HallContext, first: date, last: date) -> list[Waited]:
    """Every ticket issued from `first` to `last` (hall days) and called after, with the
    payload recorded at issue (what the visitor was told) and the wait to the first call."""
    zone = hall.calendar.zone
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    with db.read() as session:
        issued = session.execute(
            select(Event.ticket_id, Event.at, Event.payload).where(
                Event.hall_id == hall.id,
                Event.kind == "ticket.issued",
                Event.at >= start,
                Event.at < end,
            )
        ).all()
        called = dict(
            session.execute(
                select(Event.ticket_id, func.min(Event.at))
                .where(
                    Event.hall_id == hall.id,
                    Event.kind == "ticket.called",
                    Event.at >= start,
                    Event.at < end,
                )
                .group_by(Event.ticket_id)
            ).all()
        )
    waits = []
    for ticket_id, at, payload in issued:
        first_call = called.get(ticket_id)
        if not isinstance(payload, dict) or first_call is None or first_call < at:
            continue
        waits.append(Waited(at, payload, (first_call - at).total_seconds() / 60))
    return waits


def outcomes_between(db: Database, hall: HallContext, first: date, last: date) -> list[Outcome]:
    outcomes = []
    for waited in waits_between(db, hall, first, last):
        estimate = waited.payload.get("estimate")
        if not estimate:
            continue
        outcomes.append(
            Outcome(
                service=str(waited.payload.get("service", "")),
                day=hall.calendar.business_day(waited.at),
                low=int(estimate[0]),
                high=int(estimate[1]),
                waited_minutes=waited.waited_minutes,
            )
        )
    return outcomes


def month_quality(db: Database, hall: HallContext, first: date, last: date) -> list[Quality]:
    return per_service(outcomes_between(db, hall, first, last))


@dataclass(frozen=True)
class _Cached:
    at: datetime
    rows: list[Quality]


class EstimateQualityToday:
    """Today's figures per service, recomputed at most once a minute per hall."""

    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def today(self, hall_id: str) -> list[Quality]:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self._lock:
            cached = self._cache.get(hall.id)
        fresh = cached is not None and timedelta(0) <= now - cached.at < timedelta(
            seconds=CACHE_SECONDS
        )
        if cached is not None and fresh:
            return cached.rows
        day = hall.calendar.business_day(now)
        rows = per_service_and_day(outcomes_between(self.db, hall, day, day))
        with self._lock:
            self._cache[hall.id] = _Cached(now, rows)
        return rows
