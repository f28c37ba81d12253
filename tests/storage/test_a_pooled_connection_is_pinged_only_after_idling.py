"""A PostgreSQL connection from the pool is pinged before use only when it sat idle (issue 22:
the ping before every use was a tenth of an issued ticket). A server that went away while the
connection idled is found by the ping and the request gets a new connection; one that went
away within the idle window fails the first statement, and the pool then makes new ones."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from queue_server.storage.engine import make_engine

IDLE = 0.3


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    built = make_engine(postgres_url, idle_ping_seconds=IDLE)
    yield built
    built.dispose()


@pytest.fixture
def pings(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each ping the pool sends, counted on this engine's dialect (SQLAlchemy's own ping)."""
    sent: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        sent.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return sent


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(postgres_url: str, pid: int) -> None:
    admin = make_engine(postgres_url)
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        admin.dispose()
    time.sleep(0.1)  # the backend's exit


def test_it_does_not_ping_a_connection_just_used(engine: Engine, pings: list[int]) -> None:
    first = _backend(engine)
    assert _backend(engine) == first
    assert _backend(engine) == first
    assert pings == []


def test_it_pings_a_connection_that_sat_idle(engine: Engine, pings: list[int]) -> None:
    first = _backend(engine)
    time.sleep(IDLE + 0.1)
    assert _backend(engine) == first
    assert pings == [1]
    assert _backend(engine) == first  # used a moment ago again
    assert pings == [1]


def test_a_connection_lost_while_idle_is_replaced_unseen(
    engine: Engine, pings: list[int], postgres_url: str
) -> None:
    lost = _backend(engine)
    _terminate(postgres_url, lost)
    time.sleep(IDLE + 0.1)
    replaced = _backend(engine)
    assert replaced != lost
    assert pings == [1]


def test_a_connection_lost_a_moment_ago_fails_once(engine: Engine, postgres_url: str) -> None:
    lost = _backend(engine)
    _terminate(postgres_url, lost)
    with pytest.raises(OperationalError), engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    assert _backend(engine) != lost  # the pool let the dead connection go
