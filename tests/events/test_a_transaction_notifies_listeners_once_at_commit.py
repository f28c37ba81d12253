"""On PostgreSQL a write transaction tells the other worker processes that its hall has news:
one notice, sent with its first event (inside that event's INSERT since issue 22) and
delivered at COMMIT; none for a transaction rolled back. A SAVEPOINT rolled back takes its
notice with its head, and the next append sends one again. The live tests cannot tell a
missing notice from their heartbeat's own reading of the log; this one listens directly."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import make_url

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.events import EventKind
from queue_server.services.event_log import NOTIFY_CHANNEL, append_event
from tests.support.factories import make_services, small_hall

# Other tests share the database and the channel: this hall's notices are told apart by id.
HALL = f"n{uuid.uuid4().hex[:12]}"


@pytest.fixture
def built(postgres_url: str, clock: ManualClock) -> Iterator[Services]:
    services = make_services(postgres_url, small_hall(HALL), clock=clock)
    yield services
    services.db.engine.dispose()


@pytest.fixture
def listener(postgres_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    url = make_url(postgres_url)
    connection = psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    )
    connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
    yield connection
    connection.close()


def _notices(listener: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    heard = [n.payload for n in listener.notifies(timeout=0.5)]
    return [payload for payload in heard if payload.startswith(f"{HALL}:")]


def _open(work: object, window: int, clock: ManualClock) -> int:
    return append_event(work, HALL, EventKind.WINDOW_OPENED, clock.now(), window=window).seq  # type: ignore[arg-type]


def test_it_sends_one_notice_with_the_first_event_at_commit(
    built: Services, listener: psycopg.Connection[tuple[object, ...]], clock: ManualClock
) -> None:
    _notices(listener)  # whatever setting up the hall sent
    with built.db.write() as work:
        first = _open(work, 1, clock)
        _open(work, 2, clock)
        _open(work, 3, clock)
        assert _notices(listener) == []  # not before COMMIT
    assert _notices(listener) == [f"{HALL}:{first}"]


def test_a_rolled_back_transaction_sends_none(
    built: Services, listener: psycopg.Connection[tuple[object, ...]], clock: ManualClock
) -> None:
    _notices(listener)
    with pytest.raises(RuntimeError), built.db.write() as work:
        _open(work, 1, clock)
        raise RuntimeError("the caller fails after appending")
    assert _notices(listener) == []


def test_an_append_after_a_rolled_back_savepoint_sends_its_own(
    built: Services, listener: psycopg.Connection[tuple[object, ...]], clock: ManualClock
) -> None:
    _notices(listener)
    with built.db.write() as work:
        dropped = work.session.begin_nested()
        _open(work, 1, clock)
        dropped.rollback()
        kept = _open(work, 2, clock)
    assert _notices(listener) == [f"{HALL}:{kept}"]
