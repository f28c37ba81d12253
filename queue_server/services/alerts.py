"""Raising, listing and acknowledging the duty lead's alerts.

Raising is the server's own judgement of the floor (queue_server.domain.alerts over the state
of the tables and today's events), re-run on every event and on a tick: it is stored in
`floor_alerts`, not appended to the event log, because it is derived from the log and the
clock the way a forecast is. Acknowledging is a person's act, so it is an event with who did
it and when; an alert leaves the open list only then.
"""

from __future__ import annotations

import threading
import uuid
import zlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from queue_server.domain.alerts import (
    Changes,
    Condition,
    PrinterEpisode,
    PrinterReport,
    Stored,
    alert_title,
    conditions,
    printer_episodes,
    reconcile,
)
from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.services.database import Database
from queue_server.services.devices import DEVICE_STATUS
from queue_server.services.errors import NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.floor_day import ensure_floor_day
from queue_server.services.floor_view import FloorState, day_start, read_floor
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.storage.floor_tables import FloorAlert
from queue_server.storage.tables import Event

ALERT_ACKNOWLEDGED = EventKind.ALERT_ACKNOWLEDGED


@dataclass(frozen=True)
class AlertView:
    id: str
    rule: str
    title_zh: str
    title_en: str
    severity: str
    window: int | None
    service: str | None
    device: str | None
    detail: dict[str, Any]
    since: datetime
    raised_at: datetime
    cleared_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    note: str | None

    @classmethod
    def of(cls, row: FloorAlert) -> AlertView:
        zh, en = alert_title(row.rule, row.detail)
        return cls(
            id=row.id,
            rule=row.rule,
            title_zh=zh,
            title_en=en,
            severity=row.severity,
            window=row.window_no,
            service=row.service_code,
            device=row.device,
            detail=dict(row.detail),
            since=row.since,
            raised_at=row.raised_at,
            cleared_at=row.cleared_at,
            acknowledged_at=row.acknowledged_at,
            acknowledged_by=row.acknowledged_by,
            note=row.note,
        )


class AlertService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        # Printer reports read so far, per hall: the watch judges often, the day's log grows.
        self._printer_logs: dict[str, _PrinterLog] = {}
        self._printer_lock = threading.Lock()

    # ----- raising ------------------------------------------------------------------------

    def evaluate(self, hall_id: str) -> Changes:
        """Bring the stored alerts in line with the floor now; writes only when needed."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        ensure_floor_day(self.db, hall.id, hall.calendar.business_day(now))
        with self.db.read() as session:
            floor = read_floor(session, hall, now, estimates=False)
        return self.judge(hall_id, floor)

    def judge(self, hall_id: str, floor: FloorState) -> Changes:
        """`evaluate` on a floor already read (the floor monitor's GET reads it anyway)."""
        hall = self.halls.get(hall_id)
        now = floor.at
        day = hall.calendar.business_day(now)
        assert floor.facts is not None
        with self.db.read() as session:
            episodes = self._printer_episodes(session, hall, day)
            standing = conditions(
                replace(floor.facts, printer_episodes=episodes), hall.config.floor.thresholds()
            )
            changes = reconcile(standing, _stored(session, hall.id, day))
        if not (changes.raise_ or changes.clear or changes.recur):
            return changes
        with self.db.write() as work:
            session = work.session
            if self.db.is_postgres:
                # Every worker evaluates; one at a time per hall so a key is raised once.
                lock = zlib.crc32(f"hallq-alerts:{hall.id}".encode())
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
            changes = reconcile(standing, _stored(session, hall.id, day))
            _apply(session, hall, day, now, changes)
        return changes

    def _printer_episodes(
        self, session: Session, hall: HallContext, day: date
    ) -> list[PrinterEpisode]:
        """Today's printer episodes of every device, from their device.status reports."""
        with self._printer_lock:
            log = _read_printer_log(session, hall, day, self._printer_logs.get(hall.id))
            self._printer_logs[hall.id] = log
            return _episodes(log)

    # ----- reading ------------------------------------------------------------------------

    def open_alerts(self, hall_id: str) -> list[AlertView]:
        """Every alert nobody has acknowledged yet, whatever its day, newest first."""
        hall = self.halls.get(hall_id)
        with self.db.read() as session:
            return [AlertView.of(r) for r in _open_rows(session, hall.id)]

    def today(self, hall_id: str) -> list[AlertView]:
        """Today's alerts, acknowledged ones included, and older ones still open."""
        hall = self.halls.get(hall_id)
        day = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            rows = session.scalars(
                select(FloorAlert)
                .where(
                    FloorAlert.hall_id == hall.id,
                    or_(FloorAlert.business_day == day, FloorAlert.acknowledged_at.is_(None)),
                )
                .order_by(FloorAlert.raised_at.desc())
            )
            return [AlertView.of(r) for r in rows]

    # ----- acknowledging ------------------------------------------------------------------

    def acknowledge(self, hall_id: str, alert_id: str, note: str, actor: Actor) -> AlertView:
        hall = self.halls.get(hall_id)
        note = note.strip()
        if not note:
            raise RuleViolation("say in a note what was done about the alert", code="note_required")
        now = self.clock.now()
        with self.db.write() as work:
            row = work.session.execute(
                select(FloorAlert).where(FloorAlert.id == alert_id).with_for_update()
            ).scalar_one_or_none()
            if row is None or row.hall_id != hall.id:
                raise NotFound(f"no alert {alert_id!r} in hall {hall.id}")
            if row.acknowledged_at is not None:
                raise RuleViolation(
                    f"this alert was already acknowledged at {row.acknowledged_at:%H:%M}",
                    code="already_acknowledged",
                )
            row.acknowledged_at = now
            row.acknowledged_by = actor.clerk
            row.note = note
            append_event(
                work,
                hall.id,
                ALERT_ACKNOWLEDGED,
                now,
                actor=actor,
                window=row.window_no,
                # The note stays in the alert's row: free text may name people.
                payload={"alert": row.id, "rule": row.rule},
            )
            return AlertView.of(row)


@dataclass
class _PrinterLog:
    """One hall's printer reports of one day, read up to `seq`; heartbeats left out."""

    day: date
    seq: int = 0
    reports: dict[str, list[PrinterReport]] = field(default_factory=lambda: defaultdict(list))

    def add(self, device: str, report: PrinterReport) -> None:
        seen = self.reports[device]
        # A heartbeat repeating the state changes no episode: only changes and faults count.
        if report.fault or not seen or seen[-1].state != report.state:
            seen.append(report)


def _read_printer_log(
    session: Session, hall: HallContext, day: date, log: _PrinterLog | None
) -> _PrinterLog:
    """`log` brought up to date: only the events after the last one read are fetched."""
    if log is None or log.day != day:
        log = _PrinterLog(day)
    rows = session.execute(
        select(Event.seq, Event.device_id, Event.at, Event.payload)
        .where(
            Event.hall_id == hall.id,
            Event.kind == DEVICE_STATUS,
            Event.seq > log.seq,
            Event.at >= day_start(hall, day),
        )
        .order_by(Event.seq)
    )
    for seq, device, at, payload in rows:
        printer = payload.get("printer")
        state = printer.get("state") if isinstance(printer, dict) else None
        log.add(str(device), PrinterReport(at, state, bool(payload.get("fault"))))
        log.seq = seq
    return log


def _episodes(log: _PrinterLog) -> list[PrinterEpisode]:
    return [
        e for device, seen in sorted(log.reports.items()) for e in printer_episodes(device, seen)
    ]


def _open_rows(session: Session, hall_id: str) -> list[FloorAlert]:
    return list(
        session.scalars(
            select(FloorAlert)
            .where(FloorAlert.hall_id == hall_id, FloorAlert.acknowledged_at.is_(None))
            .order_by(FloorAlert.raised_at.desc())
        )
    )


def _stored(session: Session, hall_id: str, day: date) -> list[Stored]:
    rows = session.execute(
        select(FloorAlert.key, FloorAlert.acknowledged_at, FloorAlert.cleared_at).where(
            FloorAlert.hall_id == hall_id,
            or_(FloorAlert.business_day == day, FloorAlert.acknowledged_at.is_(None)),
        )
    ).all()
    return [Stored(key, ack is not None, cleared is not None) for key, ack, cleared in rows]


def _apply(session: Session, hall: HallContext, day: date, now: datetime, changes: Changes) -> None:
    for condition in changes.raise_:
        session.add(_row(hall.id, day, now, condition))  # an ended one comes with its end
    touched = set(changes.clear) | set(changes.recur)
    if not touched:
        return
    rows = session.scalars(
        select(FloorAlert).where(
            FloorAlert.hall_id == hall.id,
            FloorAlert.key.in_(touched),
            or_(FloorAlert.cleared_at.is_(None), FloorAlert.acknowledged_at.is_(None)),
        )
    )
    for row in rows:
        if row.key in changes.clear and row.cleared_at is None:
            row.cleared_at = changes.ended_at.get(row.key, now)
        elif row.key in changes.recur and row.acknowledged_at is None:
            row.cleared_at = None


def _row(hall_id: str, day: date, now: datetime, condition: Condition) -> FloorAlert:
    return FloorAlert(
        id=uuid.uuid4().hex,
        hall_id=hall_id,
        business_day=day,
        key=condition.key,
        rule=condition.rule.value,
        severity=condition.severity.value,
        window_no=condition.window,
        service_code=condition.service,
        device=condition.device,
        detail=dict(condition.detail),
        since=condition.since,
        raised_at=now,
        cleared_at=condition.until,
    )
