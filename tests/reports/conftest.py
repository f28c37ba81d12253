from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from queue_server.api.deps import Services
from queue_server.config import HallConfig, load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.domain.clock import ManualClock
from queue_server.domain.month_measures import MonthMeasures
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.services.reports import ReportService
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from tests.reports.scripted_day import HALL, Script, play_day
from tests.support.factories import local, make_services, small_hall
from tests.support.hallq_command import hallq


@dataclass(frozen=True)
class PlayedMonth:
    services: Services
    clock: ManualClock
    script: Script
    measures: MonthMeasures


@pytest.fixture
def played(sqlite_url: str) -> Iterator[PlayedMonth]:
    """The small hall after the scripted day, its clock in December, November measured."""
    clock = ManualClock(local(2026, 11, 25, 8, 0))
    services = make_services(sqlite_url, small_hall(), clock=clock)
    script = play_day(services, clock)
    clock.set(local(2026, 12, 3, 10, 0))
    measures = ReportService(services.db, services.halls, clock).month_measures(HALL, "2026-11")
    yield PlayedMonth(services, clock, script, measures)
    services.db.engine.dispose()


@dataclass(frozen=True)
class ExampleHall:
    """The example hall in a migrated database with a chain key (so month passes are kept),
    its clock in November 2026: October's days are filled by the test."""

    config: HallConfig
    db: Database
    halls: HallRegistry
    clock: ManualClock
    reports: ReportService

    def kept_events_read(self, month: str = "2026-10") -> int:
        """Measure the month; how many of its events a kept pass had already read."""
        kept: list[int] = []
        self.reports.month_measures(self.config.hall.id, month, resumed=kept.append)
        return sum(kept)


@pytest.fixture
def example_hall(database_url: str) -> Iterator[ExampleHall]:
    config = load_hall_config(EXAMPLE_CONFIG)
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        db, halls = Database(engine, chain_key=b"c" * 32), HallRegistry([config])
        clock = ManualClock(local(2026, 11, 3, 10, 0))
        ensure_halls(db, halls, clock)
        yield ExampleHall(config, db, halls, clock, ReportService(db, halls, clock))
    finally:
        engine.dispose()


# `hallq report ...` runs on the hall's clock, not the wall clock: 20 November 2026 unless the
# test gives another, so the year 2026 has had 11 months whatever day the suite runs on.
NOVEMBER_20 = {**os.environ, "HALLQ_CLOCK_START": "2026-11-20T10:00:00+08:00"}


def report(*args: str, env: dict[str, str] = NOVEMBER_20) -> subprocess.CompletedProcess[str]:
    return hallq("report", *args, env=env)
