"""The end-of-day forecast of a hall from what the database shows now (docs/simulator.md).

The state is read in one snapshot: tickets waiting, open windows with the case at each or
their pause, today's arrivals and handling times per service, and the usual daily volumes of
the last working days with tickets. The answer is cached per hall until the event log moves
or a minute passes, so a floor monitor that refreshes often costs one computation.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.domain.clock import Clock
from queue_server.domain.tickets import Priority, TicketState
from queue_server.queueing.forecast import (
    Forecast,
    ForecastSettings,
    HallNow,
    WaitingTicket,
    WindowNow,
    forecast,
)
from queue_server.queueing.forecast_inputs import MIN_SAMPLES, ServiceLoad
from queue_server.services.database import Database
from queue_server.services.floor_day import ensure_floor_day
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.queries import OpenWindow, handling_minutes, open_windows
from queue_server.storage.tables import Hall, Ticket

HISTORY_DAYS = 20  # working days with tickets that make the usual volume
HISTORY_SPAN = timedelta(days=60)
CACHE_SECONDS = 60


@dataclass(frozen=True)
class HallForecast:
    hall: str
    at: datetime
    forecast: Forecast | None  # None: the hall does not open today


@dataclass(frozen=True)
class _Cached:
    seq: int
    at: datetime
    result: HallForecast


class ForecastService:
    def __init__(
        self,
        db: Database,
        halls: HallRegistry,
        clock: Clock,
        settings: ForecastSettings | None = None,
    ) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self.settings = settings or ForecastSettings()
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def forecast(self, hall_id: str) -> HallForecast:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        ensure_floor_day(self.db, hall.id, hall.calendar.business_day(now))
        with self.db.read() as session:
            head = session.get(Hall, hall.id)
            seq = head.last_seq if head is not None else 0
            with self._lock:
                cached = self._cache.get(hall.id)
            fresh = (
                timedelta(0) <= now - cached.at < timedelta(seconds=CACHE_SECONDS)
                if cached
                else False
            )
            if cached is not None and cached.seq == seq and fresh:
                return cached.result
            state = read_hall_now(session, hall, now)
        day = hall.calendar.business_day(now)
        # Seeded by hall and day: the same floor gives the same answer on every refresh.
        settings = replace(self.settings, seed=f"{hall.id}:{day.isoformat()}")
        result = HallForecast(hall.id, now, None if state is None else forecast(state, settings))
        with self._lock:
            self._cache[hall.id] = _Cached(seq, now, result)
        return result


def read_hall_now(session: Session, hall: HallContext, now: datetime) -> HallNow | None:
    calendar = hall.calendar
    day = calendar.business_day(now)
    cutoff = calendar.issue_cutoff(day)
    if cutoff is None:
        return None
    waiting = tuple(
        WaitingTicket(service, order_at, Priority(priority))
        for service, priority, order_at in session.execute(
            select(Ticket.service_code, Ticket.priority, Ticket.order_at).where(
                Ticket.hall_id == hall.id, Ticket.state == TicketState.WAITING.value
            )
        )
    )
    arrived = _arrived(session, hall.id, day)
    today = _handled_today(session, hall.id, day)
    usual = _usual_volumes(session, hall.id, day)
    services = []
    for service in hall.config.services:
        samples = today.get(service.code, [])
        if len(samples) < MIN_SAMPLES:
            samples = handling_minutes(session, hall.id, service.code)
        services.append(
            ServiceLoad.measured(
                service.code,
                samples,
                service.default_handling_minutes,
                arrived.get(service.code, 0),
                usual.get(service.code) if usual else None,
            )
        )
    return HallNow(
        now=now,
        timezone=hall.config.hall.timezone,
        sessions=tuple(calendar.session_bounds(day)),
        issue_cutoff=cutoff,
        services=tuple(services),
        waiting=waiting,
        windows=open_windows_now(session, hall.id, now),
        policy=hall.policy,
    )


def _minutes(later: datetime, earlier: datetime) -> float:
    return max(0.0, (later - earlier).total_seconds() / 60)


def _arrived(session: Session, hall_id: str, day: date) -> dict[str, int]:
    rows = session.execute(
        select(Ticket.service_code, func.count())
        .where(
            Ticket.hall_id == hall_id,
            Ticket.business_day == day,
            Ticket.transferred_from.is_(None),
        )
        .group_by(Ticket.service_code)
    )
    return {service: int(count) for service, count in rows}


def _handled_today(session: Session, hall_id: str, day: date) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = defaultdict(list)
    rows = session.execute(
        select(Ticket.service_code, Ticket.started_at, Ticket.finished_at).where(
            Ticket.hall_id == hall_id,
            Ticket.business_day == day,
            Ticket.state == TicketState.FINISHED.value,
            Ticket.started_at.is_not(None),
        )
    )
    for service, started, finished in rows:
        if started is not None and finished is not None:
            samples[service].append(_minutes(finished, started))
    return samples


def _usual_volumes(session: Session, hall_id: str, day: date) -> dict[str, float]:
    """Mean tickets per service over the last working days that had any."""
    rows = session.execute(
        select(Ticket.business_day, Ticket.service_code, func.count())
        .where(
            Ticket.hall_id == hall_id,
            Ticket.business_day < day,
            Ticket.business_day >= day - HISTORY_SPAN,
            Ticket.transferred_from.is_(None),
        )
        .group_by(Ticket.business_day, Ticket.service_code)
    ).all()
    days = sorted({d for d, _, _ in rows}, reverse=True)[:HISTORY_DAYS]
    if not days:
        return {}
    kept = set(days)
    totals: dict[str, float] = defaultdict(float)
    for d, service, count in rows:
        if d in kept:
            totals[service] += count
    return {service: total / len(days) for service, total in totals.items()}


def open_windows_now(session: Session, hall_id: str, now: datetime) -> tuple[WindowNow, ...]:
    return windows_now(open_windows(session, hall_id), now)


def windows_now(windows: Iterable[OpenWindow], now: datetime) -> tuple[WindowNow, ...]:
    """The open windows as the forecast and the estimate see them at `now`."""
    return tuple(
        WindowNow(
            number=w.number,
            services=w.weights,
            busy_service=w.busy_service,
            busy_minutes=_minutes(now, w.called_at) if w.called_at else 0.0,
            paused_minutes=_minutes(now, w.paused_at) if w.paused and w.paused_at else None,
        )
        for w in windows
    )
