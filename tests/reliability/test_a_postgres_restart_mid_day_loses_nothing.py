"""A private PostgreSQL (never the shared one) is restarted, immediate mode, in the middle of
a busy day: requests meanwhile answer 503 with Retry-After (never another 5xx), the clients
retry, and afterwards no acknowledged ticket is lost, the log replays legally and every
subscriber saw every event (the server's LISTEN connection comes back too)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need
from tests.reliability.conftest import FAULT_DAY
from tests.support.busy_day import HALL, prepare, run_day
from tests.support.invariants import check_counts, check_database, check_streams
from tests.support.private_postgres import PrivatePostgres, postgres_bin, private_postgres
from tests.support.server_process import ServerProcess


@pytest.fixture
def cluster() -> Iterator[PrivatePostgres]:
    need(postgres_bin() is not None, "PostgreSQL server binaries (initdb, pg_ctl) are missing")
    with private_postgres() as running:
        yield running


def test_a_postgres_restart_mid_day_loses_nothing(cluster: PrivatePostgres, tmp_path: Path) -> None:
    prepared = prepare(cluster.url, FAULT_DAY, tmp_path)
    restarts: list[int] = []

    def on_progress(acknowledged: int) -> None:
        if acknowledged >= FAULT_DAY.tickets // 3 and not restarts:
            restarts.append(acknowledged)
            threading.Thread(target=cluster.restart, args=(1.0,), daemon=True).start()

    server = ServerProcess(cluster.url, config=prepared.config_path, log_path=tmp_path / "log")
    with server:
        day, record = run_day(server.url, prepared, FAULT_DAY, on_progress)
        assert restarts
        assert record.statuses.get(503, 0) > 0  # the outage was seen, and answered clearly
        assert record.unavailable_without_retry_after == 0
        assert not record.server_errors, record.server_errors[:5]
        assert len(record.acknowledged) == FAULT_DAY.tickets
        check = check_database(cluster.url, HALL, record.acknowledged)
        assert not check.problems, "\n".join(check.problems[:30])
        assert not check_counts(server.url, HALL, check, prepared.tokens.duty_lead)
    streams = check_streams(
        check.log, day.start_seq, [(s.events, s.snapshots) for s in record.subscribers]
    )
    assert not streams.problems, "\n".join(streams.problems[:5])
