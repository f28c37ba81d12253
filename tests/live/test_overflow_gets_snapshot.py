"""A client that stops reading cannot hold the server up: its queue overflows, it gets a snapshot
instead of the events it could not take, and then it carries on with the live ones."""

from __future__ import annotations

import itertools
import socket
import threading
from collections.abc import Iterator

import pytest
import websockets

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.live.helpers import next_message, quick_settings
from tests.support.live_server import LiveServer

BUFFER = 4096
# A pause event carries the reason code, never the clerk's note (ARCHITECTURE.md, what is
# public): a few hundred bytes each, so the small socket buffers and uvicorn's 64 kB write
# buffer fill after some hundreds of events.
NOTE = "请稍候"
PAIRS = 600


class TightServer(LiveServer):
    """uvicorn on a listening socket with a small send buffer, which accepted sockets inherit."""

    def __init__(self, services: Services) -> None:
        super().__init__(create_app(services, quick_settings(queue_size=4)))
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BUFFER)
        sock.bind(("127.0.0.1", self.port))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )


@pytest.fixture
def tight(services: Services) -> Iterator[LiveServer]:
    server = TightServer(services).start()
    try:
        yield server
    finally:
        server.stop()


def _stalled_socket(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BUFFER)
    sock.connect(("127.0.0.1", port))
    return sock


async def test_a_client_that_stops_reading_gets_a_snapshot_then_live_events(
    tight: LiveServer, services: Services
) -> None:
    url = f"{tight.ws_url}/api/v1/halls/test/events?since=0"
    async with (
        websockets.connect(
            url,
            sock=_stalled_socket(tight.port),
            max_queue=1,
            ping_interval=None,
            # Its own flow control keeps it from reading the server's closing frame behind
            # unread heartbeats; do not wait the default 10 s for it at the end.
            close_timeout=0.2,
            compression=None,  # deflate would shrink the repetitive note to a few bytes
        ) as slow,
        websockets.connect(url) as brisk,
    ):
        brisk_seen: list[int] = []
        pairs = PAIRS
        for done in range(1, pairs + 1):
            # Straight through the service layer: the stream is under test here, not the API.
            services.queue.pause("test", 2, "other", NOTE)
            services.queue.resume("test", 2)
            # The brisk client keeps pace with the hall while the slow one stalls.
            while len(brisk_seen) < 2 * done:
                message = await next_message(brisk)
                if message["type"] == "event":
                    brisk_seen.append(message["seq"])
        assert brisk_seen == list(range(1, 2 * pairs + 1))

        services.queue.pause("test", 3, "break", None)
        received = []
        while not received or received[-1].get("seq") != 2 * pairs + 1:
            received.append(await next_message(slow, timeout=5))
        snapshots = [m for m in received if m["type"] == "snapshot"]
        assert snapshots, "the stalled client should have been resynchronised"
        after = received[received.index(snapshots[-1]) + 1 :]
        events = [m["seq"] for m in after if m["type"] == "event"]
        assert events == list(range(snapshots[-1]["seq"] + 1, 2 * pairs + 2))
        # The snapshot is the hall as of its seq: window 2 pauses on odd events up to the
        # last pair, window 3 pauses at the very end.
        at = snapshots[-1]["seq"]
        windows = {w["number"]: w for w in snapshots[-1]["windows"]}
        assert windows[2]["paused"] is (at <= 2 * pairs and at % 2 == 1)
        assert windows[3]["paused"] is (at > 2 * pairs)
        # Nothing it did receive came out of order or twice.
        seqs = [m["seq"] for m in received if m["type"] in ("event", "snapshot")]
        assert all(a < b for a, b in itertools.pairwise(seqs))
