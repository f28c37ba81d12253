"""Prometheus metrics, read at scrape time from the event log, the tables and the live hub.

Nothing in the hall's code paths increments a counter: the event log already counts every
call and every issued ticket, so a scrape asks it (indexed by hall, kind and time). The
counters are therefore the same whichever worker answers the scrape and survive restarts;
only the websocket clients and the event lag belong to the worker that answers (label
`worker`, its process id).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Protocol

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from queue_server.domain.events import EventKind
from queue_server.domain.tickets import TicketState
from queue_server.services.database import Database
from queue_server.services.devices import DEVICE_STATUS
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.storage.tables import Event, Hall, Ticket

ISSUED, CALLED, RECALLED = (
    EventKind.TICKET_ISSUED,
    EventKind.TICKET_CALLED,
    EventKind.TICKET_RECALLED,
)
PRINTER_FAULTS = frozenset({"paper_out", "offline", "fault"})


class Feed(Protocol):
    position: int

    @property
    def subscriber_count(self) -> int: ...


class Live(Protocol):
    def feed(self, hall: str) -> Feed | None: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class HallMetrics(Collector):
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock, live: Live) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self.live = live
        # Printer faults hide in device.status payloads: scanned once, remembered per hall.
        self._faults: dict[str, tuple[int, int]] = {}  # hall -> (last seq scanned, faults)

    def describe(self) -> list[Metric]:
        return []  # collected at scrape time; nothing to check at registration

    def collect(self) -> Iterator[Metric]:
        issued = CounterMetricFamily(
            "hallq_tickets_issued", "Tickets issued (event log)", labels=["hall"]
        )
        calls = CounterMetricFamily(
            "hallq_calls", "Calls and recalls at the windows (event log)", labels=["hall", "kind"]
        )
        faults = CounterMetricFamily(
            "hallq_printer_faults",
            "Printer faults reported by devices: paper out, offline, failed jobs",
            labels=["hall"],
        )
        waiting = GaugeMetricFamily(
            "hallq_tickets_waiting", "Tickets waiting now", labels=["hall", "service"]
        )
        oldest = GaugeMetricFamily(
            "hallq_oldest_wait_seconds",
            "Wait so far of the longest-waiting ticket",
            labels=["hall"],
        )
        called_today = GaugeMetricFamily(
            "hallq_called_today", "Tickets called today (hall's business day)", labels=["hall"]
        )
        mean_wait = GaugeMetricFamily(
            "hallq_wait_today_mean_seconds", "Mean wait until called, today", labels=["hall"]
        )
        max_wait = GaugeMetricFamily(
            "hallq_wait_today_max_seconds", "Longest wait until called, today", labels=["hall"]
        )
        clients = GaugeMetricFamily(
            "hallq_websocket_clients",
            "Event stream clients of this worker",
            labels=["hall", "worker"],
        )
        lag = GaugeMetricFamily(
            "hallq_event_lag_events",
            "Events committed but not yet sent to this worker's streams",
            labels=["hall", "worker"],
        )
        lag_seconds = GaugeMetricFamily(
            "hallq_event_lag_seconds",
            "Age of the oldest event this worker has not yet sent (0 when caught up)",
            labels=["hall", "worker"],
        )
        worker = str(os.getpid())
        now = self.clock.now()
        with self.db.read() as session:
            for hall in self.halls.all():
                h = hall.id
                kinds = _kind_counts(session, h)
                issued.add_metric([h], kinds.get(ISSUED, 0))
                calls.add_metric([h, "call"], kinds.get(CALLED, 0))
                calls.add_metric([h, "recall"], kinds.get(RECALLED, 0))
                faults.add_metric([h], self._printer_faults(session, h))
                for service, count in _waiting(session, hall).items():
                    waiting.add_metric([h, service], count)
                first = session.scalar(
                    select(func.min(Ticket.issued_at)).where(
                        Ticket.hall_id == h, Ticket.state == TicketState.WAITING.value
                    )
                )
                oldest.add_metric([h], (now - first).total_seconds() if first else 0.0)
                waits = _waits_today(session, hall, now)
                called_today.add_metric([h], len(waits))
                mean_wait.add_metric([h], sum(waits) / len(waits) if waits else 0.0)
                max_wait.add_metric([h], max(waits, default=0.0))
                head = session.scalar(select(Hall.last_seq).where(Hall.id == h)) or 0
                feed = self.live.feed(h)
                position = head if feed is None else feed.position
                clients.add_metric([h, worker], 0 if feed is None else feed.subscriber_count)
                lag.add_metric([h, worker], max(head - position, 0))
                lag_seconds.add_metric([h, worker], _lag_seconds(session, h, position, head, now))
        yield from (issued, calls, faults, waiting, oldest, called_today, mean_wait, max_wait)
        yield from (clients, lag, lag_seconds)

    def _printer_faults(self, session: Session, hall: str) -> int:
        scanned, count = self._faults.get(hall, (0, 0))
        rows = session.execute(
            select(Event.seq, Event.payload)
            .where(Event.hall_id == hall, Event.kind == DEVICE_STATUS, Event.seq > scanned)
            .order_by(Event.seq)
        ).all()
        for seq, payload in rows:
            count += _is_fault(payload)
            scanned = seq
        self._faults[hall] = (scanned, count)
        return count


def _is_fault(payload: dict[str, Any]) -> bool:
    printer = payload.get("printer") or {}
    return bool(payload.get("fault")) or printer.get("state") in PRINTER_FAULTS


def _kind_counts(session: Session, hall: str) -> dict[str, int]:
    rows = session.execute(
        select(Event.kind, func.count())
        .where(Event.hall_id == hall, Event.kind.in_((ISSUED, CALLED, RECALLED)))
        .group_by(Event.kind)
    ).all()
    return {kind: int(count) for kind, count in rows}


def _waiting(session: Session, hall: HallContext) -> dict[str, int]:
    counts = dict.fromkeys((s.code for s in hall.config.services), 0)
    rows = session.execute(
        select(Ticket.service_code, func.count())
        .where(Ticket.hall_id == hall.id, Ticket.state == TicketState.WAITING.value)
        .group_by(Ticket.service_code)
    ).all()
    counts.update({service: int(count) for service, count in rows})
    return counts


def _waits_today(session: Session, hall: HallContext, now: datetime) -> list[float]:
    today = hall.calendar.business_day(now)
    rows = session.execute(
        select(Ticket.order_at, Ticket.called_at).where(
            Ticket.hall_id == hall.id,
            Ticket.business_day == today,
            Ticket.called_at.is_not(None),
            Ticket.transferred_from.is_(None),
        )
    ).all()
    # From the time that placed it in the queue, as the floor monitor counts waits.
    return [
        max((called - placed).total_seconds(), 0.0) for placed, called in rows if called is not None
    ]


def _lag_seconds(session: Session, hall: str, position: int, head: int, now: datetime) -> float:
    if position >= head:
        return 0.0
    at = session.scalar(select(Event.at).where(Event.hall_id == hall, Event.seq == position + 1))
    return max((now - at).total_seconds(), 0.0) if at else 0.0
