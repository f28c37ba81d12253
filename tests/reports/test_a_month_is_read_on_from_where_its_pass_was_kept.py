"""A month measured again reads only the events appended since its pass was kept, and gives
what a reading of the whole month gives (the reference reading); a kept pass whose outside
inputs changed (a staff number), or whose bytes were altered, is passed over and the month
read whole; where the chain's key is missing, nothing is kept and no key is made. SQLite and
PostgreSQL."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.demo.month import simulate_days
from queue_server.domain.clock import ManualClock
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.services.reports import ReportService
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from queue_server.storage.report_tables import MonthPassCheckpoint
from queue_server.storage.tables import User
from tests.reports import reference_month_pass as reference
from tests.reports.conftest import ExampleHall
from tests.support.factories import local


def test_it_reads_on_from_the_kept_pass_and_gives_the_whole_reading(
    example_hall: ExampleHall, caplog: pytest.LogCaptureFixture
) -> None:
    db, halls, clock = example_hall.db, example_hall.halls, example_hall.clock
    config, hall = example_hall.config, example_hall.config.hall.id

    def measured() -> tuple[object, int]:
        """The measures, and how many of the month's events a kept pass had read."""
        calls: list[tuple[int, int]] = []
        result = example_hall.reports.month_measures(
            hall, "2026-10", lambda done, total: calls.append((done, total))
        )
        assert result == reference.reference_measures(db, halls, clock, hall, "2026-10")
        return result, calls[0][0]

    simulate_days(db, config, [date(2026, 10, 8), date(2026, 10, 9)])
    first, kept = measured()
    assert kept == 0 and first.events > 500  # type: ignore[attr-defined]
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(MonthPassCheckpoint)) == 1

    simulate_days(db, config, [date(2026, 10, 12)])
    second, kept = measured()
    assert kept == first.events < second.events  # type: ignore[attr-defined]
    assert measured()[1] == second.events  # type: ignore[attr-defined]

    with db.write() as work:  # an input read beside the log: a clerk's staff number
        clerk = work.session.scalars(select(User).where(User.hall_id == hall)).first()
        assert clerk is not None
        work.session.execute(update(User).where(User.id == clerk.id).values(staff_no="Z999"))
    assert measured()[1] == 0

    with db.write() as work:  # the kept bytes altered
        state = work.session.scalar(select(MonthPassCheckpoint.state))
        assert state is not None
        work.session.execute(
            update(MonthPassCheckpoint).values(state=state[:-1] + bytes([state[-1] ^ 1]))
        )
    with caplog.at_level(logging.WARNING, logger="hallq.reports"):
        assert measured()[1] == 0
    assert "not signed by this server's key" in caplog.text
    assert measured()[1] == second.events  # type: ignore[attr-defined]


def test_a_reader_without_the_chain_key_keeps_nothing_and_makes_no_key(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report run where the chain's key file is missing (an analyst's machine) reads the
    month whole, as before: it neither creates a key nor keeps a pass signed by one."""
    config = load_hall_config(EXAMPLE_CONFIG)
    engine = make_engine(sqlite_url)
    try:
        upgrade(engine)
        writer, halls = Database(engine, chain_key=b"c" * 32), HallRegistry([config])
        clock = ManualClock(local(2026, 11, 3, 10, 0))
        ensure_halls(writer, halls, clock)
        simulate_days(writer, config, [date(2026, 10, 8)])
        missing = tmp_path / "no" / "hallq-chain.key"
        monkeypatch.setenv("HALLQ_CHAIN_KEY_FILE", str(missing))
        reader = Database(engine)
        measured = ReportService(reader, halls, clock).month_measures(config.hall.id, "2026-10")
        assert measured == reference.reference_measures(
            reader, halls, clock, config.hall.id, "2026-10"
        )
        assert not missing.exists()
        with reader.read() as session:
            assert session.scalar(select(func.count()).select_from(MonthPassCheckpoint)) == 0
    finally:
        engine.dispose()
