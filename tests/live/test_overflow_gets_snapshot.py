"""A client that stops reading cannot hold the server up: its queue overflows; when it is too
far behind to replay (more than the replay limit), it gets a snapshot instead of the events it
could not take, and then it carries on with the live ones."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from queue_server.api.deps import Services
from tests.live.stalled import PAIRS, TightServer, what_a_stalled_client_receives
from tests.support.live_server import LiveServer


@pytest.fixture
def tight(services: Services) -> Iterator[LiveServer]:
    server = TightServer(services, replay_limit=8).start()
    try:
        yield server
    finally:
        server.stop()


async def test_a_client_that_stops_reading_gets_a_snapshot_then_live_events(
    tight: LiveServer, services: Services
) -> None:
    received = await what_a_stalled_client_receives(tight, services)
    snapshots = [m for m in received if m["type"] == "snapshot"]
    assert snapshots, "the stalled client should have been resynchronised"
    after = received[received.index(snapshots[-1]) + 1 :]
    events = [m["seq"] for m in after if m["type"] == "event"]
    assert events == list(range(snapshots[-1]["seq"] + 1, 2 * PAIRS + 2))
    # The snapshot is the hall as of its seq: window 2 pauses on odd events up to the
    # last pair, window 3 pauses at the very end.
    at = snapshots[-1]["seq"]
    windows = {w["number"]: w for w in snapshots[-1]["windows"]}
    assert windows[2]["paused"] is (at <= 2 * PAIRS and at % 2 == 1)
    assert windows[3]["paused"] is (at > 2 * PAIRS)
    # Nothing it did receive came out of order or twice.
    seqs = [m["seq"] for m in received if m["type"] in ("event", "snapshot")]
    assert all(a < b for a, b in itertools.pairwise(seqs))
