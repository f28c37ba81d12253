"""hallq_client.events against a real server: snapshot first, events in order, offline and
back with `since` (nothing twice), and a clear refusal for what will never work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from hallq_client.events import (
    EventStream,
    StreamEvent,
    StreamMessage,
    StreamRefused,
    StreamSnapshot,
    StreamStatus,
)
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.live.helpers import quick_settings
from tests.support.live_server import LiveServer


async def _next(messages: AsyncIterator[StreamMessage]) -> StreamMessage:
    return await asyncio.wait_for(anext(messages), 8)


async def test_follows_reconnects_and_resumes_without_duplicates(services: Services) -> None:
    server = LiveServer(create_app(services, quick_settings())).start()
    stream = EventStream(server.url, "test", min_backoff=0.05, max_backoff=0.2)
    messages = stream.messages()
    try:
        assert await _next(messages) == StreamStatus(True)
        snapshot = await _next(messages)
        assert isinstance(snapshot, StreamSnapshot) and snapshot.seq == 0
        services.queue.pause("test", 1, "break", None)
        paused = await _next(messages)
        assert isinstance(paused, StreamEvent)
        assert (paused.seq, paused.kind, paused.window, paused.replay) == (
            1,
            "window.paused",
            1,
            False,
        )
        assert stream.connected and stream.last_seq == 1

        await asyncio.to_thread(server.stop)
        offline = await _next(messages)
        assert isinstance(offline, StreamStatus) and not offline.connected
        services.queue.resume("test", 1)  # while the client is away
        server = LiveServer(create_app(services, quick_settings()), port=server.port).start()
        assert await _next(messages) == StreamStatus(True)
        resumed = await _next(messages)
        assert isinstance(resumed, StreamEvent)
        assert (resumed.seq, resumed.kind, resumed.replay) == (2, "window.resumed", True)
    finally:
        await stream.aclose()
        await asyncio.to_thread(server.stop)


@pytest.mark.parametrize(
    ("hall", "headers", "reason"),
    [
        ("nowhere", None, "unknown hall 'nowhere'"),
        ("test", {"Authorization": "Bearer not-a-token"}, "HTTP 401"),
    ],
)
async def test_refusals_are_final(
    live: LiveServer, hall: str, headers: dict[str, str] | None, reason: str
) -> None:
    stream = EventStream(live.url, hall, headers=headers, min_backoff=0.05)
    with pytest.raises(StreamRefused, match=reason):
        async for message in stream:
            assert isinstance(message, StreamStatus)
