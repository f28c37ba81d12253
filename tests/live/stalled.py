"""A server with tiny socket buffers and a client that stops reading: how the stream treats a
screen that falls behind (tests/live/test_overflow_*.py)."""

from __future__ import annotations

import socket
import threading
from typing import Any

import websockets

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.live.helpers import next_message, quick_settings
from tests.support.live_server import LiveServer

BUFFER = 4096
# A long Chinese note makes each pause event about 1.6 kB, so the small socket buffers and
# uvicorn's 64 kB write buffer fill after a few dozen events rather than thousands.
NOTE = "请稍候" * 166
PAIRS = 80  # pause + resume of window 2, then one pause of window 3: 161 events


class TightServer(LiveServer):
    """uvicorn on a listening socket with a small send buffer, which accepted sockets inherit;
    each client's queue holds 4 events."""

    def __init__(self, services: Services, replay_limit: int) -> None:
        settings = quick_settings(queue_size=4, replay_limit=replay_limit)
        super().__init__(create_app(services, settings))
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, BUFFER)
        sock.bind(("127.0.0.1", self.port))
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )


def _stalled_socket(port: int) -> socket.socket:
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, BUFFER)
    sock.connect(("127.0.0.1", port))
    return sock


async def what_a_stalled_client_receives(
    server: LiveServer, services: Services
) -> list[dict[str, Any]]:
    """A slow client stops reading while a brisk one keeps pace with 161 events; then the slow
    one reads again. Every message it gets, up to the last event."""
    url = f"{server.ws_url}/api/v1/halls/test/events?since=0"
    async with (
        websockets.connect(
            url,
            sock=_stalled_socket(server.port),
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
        for done in range(1, PAIRS + 1):
            # Straight through the service layer: the stream is under test here, not the API.
            services.queue.pause("test", 2, "other", NOTE)
            services.queue.resume("test", 2)
            # The brisk client keeps pace with the hall while the slow one stalls.
            while len(brisk_seen) < 2 * done:
                message = await next_message(brisk)
                if message["type"] == "event":
                    brisk_seen.append(message["seq"])
        assert brisk_seen == list(range(1, 2 * PAIRS + 1))

        services.queue.pause("test", 3, "break", None)
        received: list[dict[str, Any]] = []
        while not received or received[-1].get("seq") != 2 * PAIRS + 1:
            received.append(await next_message(slow, timeout=5))
        return received
