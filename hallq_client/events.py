"""Following a hall live: the websocket event stream, with reconnect and resume.

    stream = EventStream("http://server:8000", "demo", window=3)
    async for message in stream:
        match message:
            case StreamSnapshot(): ...   # the whole hall: replace what you show
            case StreamEvent(): ...      # one change, in order, never twice (typed: below)
            case StreamStatus(): ...     # connected / offline, for an offline badge

The first connection asks for a snapshot (unless `since` is given); every reconnection asks
for what came after the last sequence number seen, and the server answers with exactly those
events or, when they are too many, with a fresh snapshot. A stream that stays silent for
longer than `silence_timeout` (the server sends a heartbeat every ~15 s) is taken for dead.

Messages are typed from the generated catalogue (hallq_client/event_kinds.py): an event's
`kind` is an `EventKind` and its `payload` the kind's TypedDict (`PAYLOADS[kind]`, one member
of `EventPayload`); a snapshot's `body` is a `models.Snapshot`. An event of a kind this client
does not know (a newer server) is skipped, its sequence number counted as seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

import websockets
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from hallq_client.event_kinds import EventKind, EventPayload
from hallq_client.models import Snapshot

# Close codes with which the server refuses a request that will never succeed.
REFUSED = {4400: "invalid request", 4404: "unknown hall or window"}
REFUSED_HTTP = {
    401: "this device's token is not valid (revoked or expired)",
    403: "this device may not follow this hall",
    404: "no such hall on this server",
}
MAX_MESSAGE = 16 * 1024 * 1024
_BY_VALUE = {k.value: k for k in EventKind}


@dataclass(frozen=True)
class StreamEvent:
    seq: int
    kind: EventKind
    at: str
    window: int | None
    ticket: str | None
    payload: EventPayload  # PAYLOADS[kind]: narrow with cast(TicketCalled, e.payload)
    replay: bool = False  # it happened while this client was away
    announce: dict[str, Any] | None = None  # spoken form of a call or recall


@dataclass(frozen=True)
class StreamSnapshot:
    seq: int
    body: Snapshot = field(repr=False)  # the whole message: also "type" and "seq"


@dataclass(frozen=True)
class StreamStatus:
    connected: bool
    reason: str = ""


StreamMessage = StreamEvent | StreamSnapshot | StreamStatus


class StreamRefused(Exception):
    """The server refused the stream for good (unknown hall or window, invalid request)."""


def stream_url(base_url: str, hall: str, *, window: int | None, since: int | None) -> str:
    base = base_url.rstrip("/")
    if base.startswith("http"):
        base = "ws" + base[len("http") :]
    query = {k: v for k, v in (("since", since), ("window", window)) if v is not None}
    suffix = f"?{urlencode(query)}" if query else ""
    return f"{base}/api/v1/halls/{hall}/events{suffix}"


class EventStream:
    def __init__(
        self,
        base_url: str,
        hall: str,
        *,
        window: int | None = None,
        since: int | None = None,
        headers: dict[str, str] | None = None,
        silence_timeout: float = 40.0,
        min_backoff: float = 0.25,
        max_backoff: float = 5.0,
    ) -> None:
        self.base_url = base_url
        self.hall = hall
        self.window = window
        self.last_seq = since
        self.connected = False
        self._headers = headers or {}
        self._silence_timeout = silence_timeout
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        self._closed = False
        self._socket: ClientConnection | None = None

    def url(self) -> str:
        return stream_url(self.base_url, self.hall, window=self.window, since=self.last_seq)

    async def aclose(self) -> None:
        self._closed = True
        if self._socket is not None:
            await self._socket.close()

    def __aiter__(self) -> AsyncIterator[StreamMessage]:
        return self.messages()

    async def messages(self) -> AsyncIterator[StreamMessage]:
        backoff = self._min_backoff
        while not self._closed:
            reason = "connection lost"
            try:
                async with websockets.connect(
                    self.url(),
                    additional_headers=self._headers,
                    open_timeout=5,
                    max_size=MAX_MESSAGE,
                ) as socket:
                    self._socket = socket
                    self.connected = True
                    backoff = self._min_backoff
                    yield StreamStatus(True)
                    async for message in self._receive(socket):
                        yield message
            except ConnectionClosed as exc:
                received = exc.rcvd
                if received is not None and received.code in REFUSED:
                    raise StreamRefused(received.reason or REFUSED[received.code]) from exc
                reason = f"connection closed ({received.code if received else 'no close frame'})"
            except TimeoutError:
                reason = "the server fell silent"
            except InvalidStatus as exc:
                status = exc.response.status_code
                if status in REFUSED_HTTP:
                    raise StreamRefused(f"{REFUSED_HTTP[status]} (HTTP {status})") from exc
                reason = f"the server answered HTTP {status}"
            except (OSError, InvalidHandshake, InvalidURI) as exc:
                reason = f"cannot connect: {exc}"
            finally:
                self._socket = None
            if self.connected:
                self.connected = False
                yield StreamStatus(False, reason)
            if self._closed:
                return
            await asyncio.sleep(backoff * random.uniform(0.8, 1.2))
            backoff = min(backoff * 2, self._max_backoff)

    async def _receive(self, socket: ClientConnection) -> AsyncIterator[StreamMessage]:
        while True:
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for loses a cancellation that
            # comes as a message arrives, and a screen closing its stream would wait for good.
            async with asyncio.timeout(self._silence_timeout):
                raw = await socket.recv()
            with contextlib.suppress(ValueError, KeyError, TypeError):
                message = self._parse(json.loads(raw))
                if message is not None:
                    yield message

    def _parse(self, body: dict[str, Any]) -> StreamMessage | None:
        kind = body.get("type")
        seq = int(body.get("seq", 0))
        if kind == "event":
            if self.last_seq is not None and seq <= self.last_seq:
                return None
            self.last_seq = seq
            event_kind = _BY_VALUE.get(body["kind"])
            if event_kind is None:
                return None  # a kind of a newer server: nothing here would follow it
            return StreamEvent(
                seq=seq,
                kind=event_kind,
                at=body["at"],
                window=body.get("window"),
                ticket=body.get("ticket"),
                payload=cast(EventPayload, body.get("payload") or {}),
                replay=bool(body.get("replay", False)),
                announce=body.get("announce"),
            )
        if kind == "snapshot":
            self.last_seq = seq
            return StreamSnapshot(seq=seq, body=cast(Snapshot, body))
        if kind == "heartbeat":
            # With a window filter the stream skips other windows' events; the heartbeat
            # moves `since` past them so a reconnection does not ask for them again.
            self.last_seq = max(self.last_seq or 0, seq)
        return None
