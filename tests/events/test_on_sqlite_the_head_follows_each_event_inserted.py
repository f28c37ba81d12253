"""On SQLite the hall's chain head is moved by the events table itself (migration 0015, a
trigger): `append_event` writes one statement an event, as on PostgreSQL. The head follows
every event inserted and only moves forward: a row put back into a gap does not rewind it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pytest
from sqlalchemy import Table, delete, insert, select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.events import EventKind
from queue_server.services.event_log import append_event, verify_chain
from queue_server.storage.tables import Event, Hall
from tests.support.factories import make_services, small_hall

EVENTS = cast(Table, Event.__table__)


@pytest.fixture
def built(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    services = make_services(sqlite_url, small_hall(), clock=clock)
    yield services
    services.db.engine.dispose()


def head(services: Services) -> tuple[int, str]:
    with services.db.read() as session:
        row = session.execute(select(Hall.last_seq, Hall.last_hash).where(Hall.id == "test"))
        seq, digest = row.one()
        return int(seq), str(digest)


def test_it_moves_the_head_to_each_event_appended(built: Services, clock: ManualClock) -> None:
    with built.db.write() as work:
        first = append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=1)
        second = append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=2)
    assert second.seq == first.seq + 1
    assert head(built) == (second.seq, second.hash)
    with built.db.read() as session:
        assert verify_chain(session, "test", built.db.chain_key)[1] is None


def test_it_does_not_rewind_the_head_for_a_row_put_back(
    built: Services, clock: ManualClock
) -> None:
    with built.db.write() as work:
        for window in (1, 2, 3):
            last = append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=window)
    middle = last.seq - 1
    with built.db.write() as work:
        row = work.session.execute(
            select(EVENTS).where(Event.hall_id == "test", Event.seq == middle)
        ).one()
        work.session.execute(delete(Event).where(Event.hall_id == "test", Event.seq == middle))
        work.session.execute(insert(EVENTS).values(**row._mapping))
    assert head(built) == (last.seq, last.hash)
