"""Fixtures for the reliability suite: a prepared load hall and its server process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.busy_day import DayShape, Prepared, prepare
from tests.support.server_process import ServerProcess

# CI-sized: the long versions (bench/bench_reliability_*.py) run 10,000 tickets at 40 windows.
CI_DAY = DayShape(tickets=250, windows=10, subscribers=20, kiosks=6)
# The fault tests replay the same checks around a fault; a shorter day keeps CI in budget.
FAULT_DAY = DayShape(tickets=150, windows=8, subscribers=10, kiosks=4)


@pytest.fixture
def prepared(database_url: str, tmp_path: Path) -> Prepared:
    return prepare(database_url, CI_DAY, tmp_path)


@pytest.fixture
def prepared_fault(database_url: str, tmp_path: Path) -> Prepared:
    return prepare(database_url, FAULT_DAY, tmp_path)


@pytest.fixture
def prepared_sqlite(sqlite_url: str, tmp_path: Path) -> Prepared:
    return prepare(sqlite_url, CI_DAY, tmp_path)


@pytest.fixture
def hall_server(database_url: str, prepared: Prepared, tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(
        database_url, config=prepared.config_path, log_path=tmp_path / "server.log"
    )
    with server:
        yield server


@pytest.fixture
def fault_server(
    database_url: str, prepared_fault: Prepared, tmp_path: Path
) -> Iterator[ServerProcess]:
    server = ServerProcess(
        database_url, config=prepared_fault.config_path, log_path=tmp_path / "server.log"
    )
    with server:
        yield server
