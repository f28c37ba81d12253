"""What the floor holds now, read straight from the tables and the log, for the tests of
the rule "the hall file is the baseline; the duty lead's decisions hold for the day"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from queue_server.services.database import Database
from queue_server.storage.tables import Event, Service, Window, WindowService
from tests.support.factories import SMALL_HALL


def small_hall_file(folder: Path, hall_id: str = "test", *, extra: str = "") -> Path:
    """The small test hall as a TOML file (three services, windows 1-3), plus `extra` text."""
    path = folder / f"{hall_id}.toml"
    path.write_text(SMALL_HALL.format(hall_id=hall_id, guard=20, ratio="", cap="") + extra)
    return path


@dataclass(frozen=True)
class FloorRows:
    services: dict[int, dict[str, int]]
    closed: set[int]
    stopped: set[str]


def floor_rows(db: Database, hall: str = "test") -> FloorRows:
    with db.read() as session:
        services: dict[int, dict[str, int]] = {}
        for row in session.scalars(select(WindowService).where(WindowService.hall_id == hall)):
            services.setdefault(row.window_no, {})[row.service_code] = row.weight
        closed = {
            w.number
            for w in session.scalars(select(Window).where(Window.hall_id == hall))
            if not w.is_open
        }
        stopped = {
            s.code
            for s in session.scalars(select(Service).where(Service.hall_id == hall))
            if s.issuing_stopped
        }
        return FloorRows(services, closed, stopped)


def events_of(db: Database, kind: str, hall: str = "test") -> list[Event]:
    with db.read() as session:
        return list(
            session.scalars(
                select(Event).where(Event.hall_id == hall, Event.kind == kind).order_by(Event.seq)
            )
        )
