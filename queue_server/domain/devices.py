"""When a device's health report is news for the event log (kiosks, displays, printers).

A kiosk reports every few seconds; the log must not fill with identical rows, yet the duty
lead must be able to tell a silent device from a healthy one. So a report is recorded when
something changed, when it carries a fault, or as a heartbeat at most once a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

PrinterState = Literal["ok", "paper_low", "paper_out", "offline", "unknown", "fault"]
PRINTER_STATES: tuple[PrinterState, ...] = (
    "ok",
    "paper_low",
    "paper_out",
    "offline",
    "unknown",
    "fault",
)
HEARTBEAT = timedelta(minutes=1)


@dataclass(frozen=True)
class DeviceHealth:
    """What makes two reports "the same state"; free-text details do not."""

    kind: str
    printer: PrinterState | None = None


@dataclass(frozen=True)
class LastRecorded:
    health: DeviceHealth
    at: datetime


def status_is_news(
    last: LastRecorded | None,
    current: DeviceHealth,
    now: datetime,
    *,
    has_fault: bool = False,
    heartbeat: timedelta = HEARTBEAT,
) -> bool:
    if last is None or has_fault or last.health != current:
        return True
    return now - last.at >= heartbeat
