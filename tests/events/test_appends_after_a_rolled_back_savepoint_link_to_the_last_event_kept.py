"""A write transaction remembers the chain head it locked, so its later appends skip the
lock (services/transaction_memo.py). A SAVEPOINT rolled back in the middle takes its events
with it: the next append must link to the last event kept, with no gap in the sequence, and
the chain must verify (both engines)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.events import EventKind
from queue_server.services.event_log import append_event, verify_chain
from queue_server.storage.tables import Event, Hall
from tests.support.factories import make_services, small_hall


@pytest.fixture
def built(database_url: str, clock: ManualClock) -> Iterator[Services]:
    services = make_services(database_url, small_hall(), clock=clock)
    yield services
    services.db.engine.dispose()


def last_seq(services: Services) -> int:
    with services.db.read() as session:
        return int(session.scalar(select(Hall.last_seq).where(Hall.id == "test")) or 0)


def test_it_links_the_next_append_to_the_last_event_kept(
    built: Services, clock: ManualClock
) -> None:
    before = last_seq(built)
    with built.db.write() as work:
        append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=1)
        dropped = work.session.begin_nested()
        append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=2)
        append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=3)
        dropped.rollback()
        append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=4)
        with work.session.begin_nested():
            append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=5)
        append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=6)
    with built.db.read() as session:
        kept = session.execute(
            select(Event.seq, Event.window_no)
            .where(Event.hall_id == "test", Event.seq > before)
            .order_by(Event.seq)
        ).all()
        _, broken = verify_chain(session, "test", built.db.chain_key)
    assert [tuple(row) for row in kept] == [
        (before + 1, 1),
        (before + 2, 4),
        (before + 3, 5),
        (before + 4, 6),
    ]
    assert broken is None
    assert last_seq(built) == before + 4
