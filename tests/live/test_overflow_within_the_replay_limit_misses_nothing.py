"""A screen that falls behind (its queue overflowed) but not by more than the replay limit gets
the events it missed read again from the log, so it sees every call, in order, once; no
snapshot (which would show the right state but skip the calls in between)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_server.api.deps import Services
from tests.live.stalled import PAIRS, TightServer, what_a_stalled_client_receives
from tests.support.live_server import LiveServer


@pytest.fixture
def tight(services: Services) -> Iterator[LiveServer]:
    server = TightServer(services, replay_limit=1000).start()
    try:
        yield server
    finally:
        server.stop()


async def test_an_overflowed_client_gets_every_event_in_order(
    tight: LiveServer, services: Services
) -> None:
    received = await what_a_stalled_client_receives(tight, services)
    assert [m for m in received if m["type"] == "snapshot"] == []
    events = [m for m in received if m["type"] == "event"]
    assert [m["seq"] for m in events] == list(range(1, 2 * PAIRS + 2))
    # it did overflow: some of them came from the log again, marked as replayed
    assert any(m.get("replay") for m in events)
