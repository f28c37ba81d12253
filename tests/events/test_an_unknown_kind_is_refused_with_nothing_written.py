"""append_event refuses a kind the catalogue does not have before it writes anything: the
log, the hall's chain head and the caller's other rows stay as they were (both engines)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.events import EventKind, UnknownEventKind
from queue_server.services.event_log import append_event
from queue_server.storage.tables import Event, Hall
from tests.support.factories import make_services, small_hall


@pytest.fixture
def built(database_url: str, clock: ManualClock) -> Iterator[Services]:
    services = make_services(database_url, small_hall(), clock=clock)
    yield services
    services.db.engine.dispose()


def head(services: Services) -> tuple[int, int]:
    with services.db.read() as session:
        events = session.scalar(select(func.count()).select_from(Event))
        seq = session.scalar(select(Hall.last_seq).where(Hall.id == "test"))
    return int(events or 0), int(seq or 0)


def test_a_misspelt_kind_raises_and_writes_nothing(built: Services, clock: ManualClock) -> None:
    before = head(built)
    with pytest.raises(UnknownEventKind, match=r"ticket\.calld"), built.db.write() as work:
        append_event(work, "test", EventKind.WINDOW_OPENED, clock.now(), window=1)
        append_event(work, "test", "ticket.calld", clock.now(), window=1)
    assert head(built) == before


def test_a_catalogued_kind_given_as_text_is_written(built: Services, clock: ManualClock) -> None:
    before, _ = head(built)
    with built.db.write() as work:
        event = append_event(work, "test", "window.opened", clock.now(), window=1)
    assert event.kind == "window.opened"
    assert head(built)[0] == before + 1
