"""The demo's past month (queue_server/demo/month.py) and the benchmarks' synthetic
months (bench/report_synthetic.py) write their events in bulk; they key the chain like the
live path (HMAC with HALLQ_CHAIN_KEY_FILE, the key epoch sealed), so `hallq audit verify`
finds a keyed, intact chain on demo data too."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from bench.report_synthetic import HALL, fill, hall_config
from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.demo.month import simulate_days
from queue_server.domain.clock import ManualClock
from queue_server.services.database import Database
from queue_server.services.event_log import verify_chain
from queue_server.services.halls import HallRegistry, ensure_halls
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from queue_server.storage.tables import Hall
from tests.support.factories import TEST_CHAIN_KEY, local
from tests.support.hallq_command import hallq


def audit_verify(url: str, hall: str) -> subprocess.CompletedProcess[str]:
    return hallq("audit", "verify", "--database", url, "--hall", hall)


def assert_keyed_and_intact(url: str, hall: str) -> None:
    engine = make_engine(url)
    try:
        with Database(engine).read() as session:
            row = session.get(Hall, hall)
            assert row is not None and row.chain_keyed_from == 1
            count, broken = verify_chain(session, hall, TEST_CHAIN_KEY)
            assert broken is None and count == row.last_seq > 100
            # Keyed: with another key nothing matches.
            _, wrong = verify_chain(session, hall, b"another-key-0123456789abcdef0123456789")
            assert wrong is not None
    finally:
        engine.dispose()
    result = audit_verify(url, hall)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chain intact (keyed from event 1)" in result.stdout


def test_the_demo_month_is_keyed(tmp_path: Path) -> None:
    config = load_hall_config(EXAMPLE_CONFIG)
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    ensure_halls(db, HallRegistry([config]), ManualClock(local(2026, 11, 2, 10, 0)))
    simulate_days(db, config, [date(2026, 10, 8), date(2026, 10, 9)])
    engine.dispose()
    assert_keyed_and_intact(url, config.hall.id)


def test_the_synthetic_report_months_are_keyed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'synthetic.sqlite3'}"
    engine = make_engine(url)
    fill(engine, hall_config(2), [date(2026, 10, 1)], tickets_per_month=200)
    engine.dispose()
    assert_keyed_and_intact(url, HALL)
