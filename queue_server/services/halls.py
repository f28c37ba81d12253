"""The halls this server holds: their configuration in memory, their rows in the database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select, text

from queue_server.config.models import HallConfig
from queue_server.domain.calendar import HallCalendar
from queue_server.domain.call_policy import CallPolicy
from queue_server.domain.event_chain import GENESIS_HASH
from queue_server.services.database import Database
from queue_server.services.errors import NotFound
from queue_server.storage.tables import Hall, Service, Window, WindowService


@dataclass(frozen=True)
class HallContext:
    """One hall's configuration with its rules built once."""

    config: HallConfig
    calendar: HallCalendar
    policy: CallPolicy

    @property
    def id(self) -> str:
        return self.config.hall.id


class HallRegistry:
    def __init__(self, configs: Iterable[HallConfig]) -> None:
        self._halls = {
            c.hall.id: HallContext(c, c.hall.calendar(), c.call_policy.policy()) for c in configs
        }

    def get(self, hall_id: str) -> HallContext:
        try:
            return self._halls[hall_id]
        except KeyError:
            raise NotFound(f"unknown hall {hall_id!r}") from None

    def all(self) -> list[HallContext]:
        return list(self._halls.values())


def sync_halls(db: Database, registry: HallRegistry) -> None:
    """Make the database rows follow the configuration files.

    Services and windows are upserted; a window's served services are reset to the file, so
    a restart undoes run-time reassignments (the file is the hall's standing arrangement).
    """
    with db.write() as work:
        session = work.session
        if db.is_postgres:
            # Every worker process syncs at start-up; without this lock two of them delete
            # and re-insert the same window_services rows at once and one dies on the key.
            session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
        for hall in registry.all():
            config = hall.config
            row = session.get(Hall, hall.id)
            if row is None:
                row = Hall(id=hall.id, last_seq=0, last_hash=GENESIS_HASH)
                session.add(row)
            row.name_zh = config.hall.name.zh
            row.name_en = config.hall.name.en
            row.timezone = config.hall.timezone
            session.flush()
            existing = {
                s.code: s
                for s in session.scalars(select(Service).where(Service.hall_id == hall.id))
            }
            for service in config.services:
                srow = existing.get(service.code) or Service(
                    hall_id=hall.id, code=service.code, issuing_stopped=False
                )
                srow.name_zh = service.name.zh
                srow.prefix = service.prefix
                session.add(srow)
            windows = {
                w.number: w
                for w in session.scalars(select(Window).where(Window.hall_id == hall.id))
            }
            for window in config.windows:
                wrow = windows.get(window.number) or Window(
                    hall_id=hall.id, number=window.number, is_open=True, paused=False
                )
                wrow.name_zh = window.name.zh
                session.add(wrow)
            session.flush()
            session.execute(delete(WindowService).where(WindowService.hall_id == hall.id))
            for window in config.windows:
                for code, weight in window.services.items():
                    session.add(
                        WindowService(
                            hall_id=hall.id,
                            window_no=window.number,
                            service_code=code,
                            weight=weight,
                        )
                    )
