"""The halls this server holds: their configuration in memory, their rows in the database.

The rows follow the rule of domain/hall_baseline.py: the hall file is the baseline and the
duty lead's decisions hold for their business day. So reading a file never writes over the
floor: `ensure_halls` (every CLI command given `--config`) only creates a hall the database
does not know yet; `apply_hall_files` (serve's start-up, `hallq hall apply`) changes the
baseline of a known hall as an event, `hall.config_applied`, and leaves today's decisions alone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from queue_server.config.models import HallConfig
from queue_server.domain.calendar import HallCalendar
from queue_server.domain.call_policy import CallPolicy
from queue_server.domain.clock import Clock
from queue_server.domain.event_chain import GENESIS_HASH
from queue_server.domain.events import EventKind
from queue_server.domain.hall_baseline import (
    Arrangement,
    ServiceBaseline,
    WindowBaseline,
    changes_between,
    conflicts,
)
from queue_server.services.database import Database, Work
from queue_server.services.errors import NotFound
from queue_server.services.event_log import append_event
from queue_server.services.floor_day import (
    FloorRows,
    confirm_floor_day,
    decided_today,
    load_floor_rows,
    materialize,
)
from queue_server.services.hall_lock import hold_hall, hold_hall_rows
from queue_server.storage.tables import Hall, HallBaseline


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


CONFIG_APPLIED = EventKind.HALL_CONFIG_APPLIED


log = logging.getLogger(__name__)


def arrangement_of(config: HallConfig) -> Arrangement:
    return Arrangement(
        name_zh=config.hall.name.zh,
        name_en=config.hall.name.en,
        timezone=config.hall.timezone,
        services={s.code: ServiceBaseline(s.name.zh, s.prefix) for s in config.services},
        windows={w.number: WindowBaseline(w.name.zh, dict(w.services)) for w in config.windows},
    )


@dataclass(frozen=True)
class Applied:
    """What applying one hall's file did."""

    hall: str
    digest: str
    created: bool = False
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    differs: bool = False  # ensure_halls only: the file is not the applied baseline

    @property
    def changed(self) -> bool:
        return self.created or bool(self.changes)


def ensure_halls(db: Database, registry: HallRegistry, clock: Clock) -> list[Applied]:
    """Create the halls the database does not know yet; never touch a known hall.

    For CLI commands that read a hall file (`hallq user add --config`, `hallq assess ...`):
    a fresh database learns its halls, a running hall keeps its floor. A file that differs
    from a known hall's baseline is reported (`differs`), not applied.
    """
    return _each_hall(db, registry, clock, apply=False)


def apply_hall_files(db: Database, registry: HallRegistry, clock: Clock) -> list[Applied]:
    """Make each file the baseline of its hall (serve's start-up, `hallq hall apply`).

    A file equal to the baseline (same digest) writes nothing, so every worker and every
    server process can call this. A changed file is one event `hall.config_applied` with the
    digests, the changes and the conflicts with today's decisions, which stay in force.
    """
    return _each_hall(db, registry, clock, apply=True)


def _each_hall(db: Database, registry: HallRegistry, clock: Clock, *, apply: bool) -> list[Applied]:
    now = clock.now()
    results: list[Applied] = []
    days: dict[str, date] = {}
    with db.write() as work:
        hold_hall_rows(work.session)
        ids = [hall.id for hall in registry.all()]
        # Known halls and their baselines into the session at once (get() then asks nobody;
        # held here because the session's identity map only keeps weak references).
        known = [
            *work.session.scalars(select(Hall).where(Hall.id.in_(ids))),
            *work.session.scalars(select(HallBaseline).where(HallBaseline.hall_id.in_(ids))),
        ]
        if apply:
            # Every known hall before their windows are locked, in the order of their ids:
            # another worker's calls may be running in them (hall_lock.py).
            for hall_id in sorted(h.id for h in known if isinstance(h, Hall)):
                hold_hall(work.session, hall_id)
        floors = load_floor_rows(work.session, ids) if apply else {}
        for hall in registry.all():
            days[hall.id] = hall.calendar.business_day(now)
            results.append(
                _one_hall(work, hall, days[hall.id], now, apply=apply, floor=floors.get(hall.id))
            )
        del known
    for result in results:
        if result.created or (apply and not result.differs):
            confirm_floor_day(db, result.hall, days[result.hall])
    for result in results:
        for conflict in result.conflicts:
            log.warning("hall %s: %s", result.hall, conflict)
        if result.differs:
            log.warning(
                "hall %s: the hall file differs from the applied baseline %s; "
                "`hallq hall apply --config FILE` applies it",
                result.hall,
                result.digest[:12],
            )
    return results


def _one_hall(
    work: Work,
    hall: HallContext,
    day: date,
    now: datetime,
    *,
    apply: bool,
    floor: FloorRows | None = None,
) -> Applied:
    session = work.session
    new = arrangement_of(hall.config)
    digest = new.digest()
    row = session.get(Hall, hall.id)
    baseline = session.get(HallBaseline, hall.id)
    if row is not None and not apply:
        # A known hall: a command that only reads the file leaves every row alone. (A hall
        # from before baselines were stored gets its baseline at serve's next start.)
        if baseline is None or baseline.digest == digest:
            return Applied(hall.id, digest)
        return Applied(hall.id, baseline.digest, differs=True)
    if row is not None and baseline is not None and baseline.digest == digest:
        materialize(session, hall.id, day, new, floor)  # nothing to apply; rows: today's
        return Applied(hall.id, digest)
    created = row is None
    if row is None:
        row = Hall(id=hall.id, last_seq=0, last_hash=GENESIS_HASH)
        session.add(row)
    row.name_zh = new.name_zh
    row.name_en = new.name_en
    row.timezone = new.timezone
    session.flush()
    if baseline is None:
        # A hall from before baselines were stored: its rows were the file's.
        old = None
        baseline = HallBaseline(hall_id=hall.id)
        session.add(baseline)
    else:
        old = Arrangement.from_json(baseline.arrangement)
    baseline.digest = digest
    baseline.arrangement = new.to_json()
    baseline.applied_at = now
    decided = decided_today(session, hall.id, day)
    materialize(session, hall.id, day, new)
    if old is None:
        return Applied(hall.id, digest, created=created)
    changes = changes_between(old, new)
    kept = conflicts(changes, decided)
    append_event(
        work,
        hall.id,
        CONFIG_APPLIED,
        now,
        payload={
            "digest": digest,
            "was": old.digest(),
            "changes": [c.to_json() for c in changes],
            "kept_today": kept,
        },
    )
    return Applied(hall.id, digest, changes=[c.describe() for c in changes], conflicts=kept)
