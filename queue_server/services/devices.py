"""Devices on the floor: help requests from kiosks and device health, both in the event log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.domain.clock import Clock
from queue_server.domain.devices import (
    DeviceHealth,
    LastRecorded,
    PrinterState,
    status_is_news,
)
from queue_server.domain.events import EventKind
from queue_server.services.database import Database
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallRegistry
from queue_server.storage.tables import Event

HELP_REQUESTED = EventKind.HELP_REQUESTED
DEVICE_STATUS = EventKind.DEVICE_STATUS


@dataclass(frozen=True)
class StatusReport:
    kind: str = "kiosk"
    printer: PrinterState | None = None
    printer_detail: str = ""
    fault: str | None = None  # a failed print job and the like: always news
    ticket: str | None = None  # the ticket number the fault concerns
    # A kiosk with an offline journal: its unreconciled tickets, today's entries the server
    # refused, and since when it was cut off.
    offline_pending: int | None = None
    offline_refused: int = 0
    offline_since: datetime | None = None


@dataclass(frozen=True)
class HelpRequest:
    request_id: str | None = None  # the kiosk's retries carry the same id
    screen: str | None = None
    lang: str | None = None
    ticket: str | None = None


@dataclass(frozen=True)
class Recorded:
    recorded: bool  # False: nothing new (status unchanged, or a retried help request)
    seq: int | None
    at: datetime | None


class DeviceService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def request_help(self, hall_id: str, device: str, request: HelpRequest) -> Recorded:
        """The visitor tapped 呼叫帮助: the duty lead's floor monitor shows this event."""
        self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            last = _last_event(work.session, hall_id, HELP_REQUESTED, device)
            if (
                last is not None
                and request.request_id is not None
                and last.payload.get("request_id") == request.request_id
            ):
                return Recorded(False, last.seq, last.at)
            payload = {
                "request_id": request.request_id,
                "screen": request.screen,
                "lang": request.lang,
                "ticket": request.ticket,
            }
            event = append_event(
                work,
                hall_id,
                HELP_REQUESTED,
                now,
                actor=Actor(device=device),
                payload={k: v for k, v in payload.items() if v is not None},
            )
            return Recorded(True, event.seq, event.at)

    def report_status(self, hall_id: str, device: str, report: StatusReport) -> Recorded:
        self.halls.get(hall_id)
        now = self.clock.now()
        health = DeviceHealth(report.kind, report.printer)
        with self.db.write() as work:
            last = _last_event(work.session, hall_id, DEVICE_STATUS, device)
            previous = None if last is None else LastRecorded(_health(last.payload), last.at)
            offline = _offline(report)
            journal_changed = last is not None and last.payload.get("offline") != offline
            if not journal_changed and not status_is_news(
                previous, health, now, has_fault=report.fault is not None
            ):
                assert last is not None
                return Recorded(False, last.seq, last.at)
            payload: dict[str, Any] = {"kind": report.kind}
            if report.printer is not None:
                payload["printer"] = {"state": report.printer, "detail": report.printer_detail}
            if previous is not None and previous.health.printer != report.printer:
                payload["printer_was"] = previous.health.printer
            if report.fault is not None:
                payload["fault"] = report.fault
            if report.ticket is not None:
                payload["ticket"] = report.ticket
            if offline is not None:
                payload["offline"] = offline
            event = append_event(
                work, hall_id, DEVICE_STATUS, now, actor=Actor(device=device), payload=payload
            )
            return Recorded(True, event.seq, event.at)


def _last_event(session: Session, hall_id: str, kind: str, device: str) -> Event | None:
    return session.scalars(
        select(Event)
        .where(Event.hall_id == hall_id, Event.kind == kind, Event.device_id == device)
        .order_by(Event.at.desc(), Event.seq.desc())
        .limit(1)
    ).first()


def _offline(report: StatusReport) -> dict[str, Any] | None:
    if report.offline_pending is None:
        return None
    since = report.offline_since.isoformat() if report.offline_since else None
    return {"pending": report.offline_pending, "refused": report.offline_refused, "since": since}


def _health(payload: dict[str, Any]) -> DeviceHealth:
    printer = payload.get("printer")
    state = printer.get("state") if isinstance(printer, dict) else None
    return DeviceHealth(str(payload.get("kind", "kiosk")), state)
