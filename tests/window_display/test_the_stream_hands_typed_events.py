"""hallq_client's event stream hands the apps typed messages from the generated catalogue:
an event's kind is an EventKind and its payload carries every key its kind's TypedDict
requires (PAYLOADS); a snapshot is a models.Snapshot; a kind this client does not know (a
newer server) is skipped without losing its place in the stream."""

from __future__ import annotations

import asyncio

import httpx

from hallq_client.event_kinds import PAYLOADS, EventKind
from hallq_client.events import EventStream, StreamEvent, StreamSnapshot
from hallq_client.models import Snapshot
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.live.helpers import quick_settings
from tests.support.auth import duty_lead_headers
from tests.support.live_server import LiveServer


async def test_events_from_a_real_server_are_typed(services: Services) -> None:
    server = LiveServer(create_app(services, quick_settings())).start()
    stream = EventStream(server.url, "test", min_backoff=0.05, max_backoff=0.2)
    events: list[StreamEvent] = []
    snapshots: list[StreamSnapshot] = []

    async def follow() -> None:
        async for message in stream:
            if isinstance(message, StreamSnapshot):
                snapshots.append(message)
                base = f"{server.url}/api/v1/halls/test"
                async with httpx.AsyncClient(
                    base_url=base, headers=duty_lead_headers(services)
                ) as api:
                    await api.post("/tickets", json={"service": "TAX"})
                    await api.post("/windows/2/call-next")
            elif isinstance(message, StreamEvent):
                events.append(message)
                if message.kind is EventKind.TICKET_CALLED:
                    return

    try:
        await asyncio.wait_for(follow(), 15)
    finally:
        await stream.aclose()
        await asyncio.to_thread(server.stop)
    assert set(snapshots[0].body) >= set(Snapshot.__required_keys__)
    kinds = [e.kind for e in events]
    assert EventKind.TICKET_ISSUED in kinds and kinds[-1] is EventKind.TICKET_CALLED
    for event in events:
        assert type(event.kind) is EventKind
        assert set(event.payload) >= PAYLOADS[event.kind].__required_keys__, event.kind


def test_a_kind_of_a_newer_server_is_skipped_but_counted() -> None:
    stream = EventStream("http://127.0.0.1:9", "test", since=4)
    later = {"type": "event", "seq": 5, "kind": "ticket.teleported", "at": "x", "payload": {}}
    assert stream._parse(later) is None
    assert stream.last_seq == 5
    known = {
        "type": "event",
        "seq": 6,
        "kind": "window.opened",
        "at": "2026-12-03T01:00:00+00:00",
        "window": 2,
        "payload": {},
    }
    parsed = stream._parse(known)
    assert isinstance(parsed, StreamEvent) and parsed.kind is EventKind.WINDOW_OPENED
