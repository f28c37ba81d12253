"""Helpers for live-stream tests: short heartbeats, reading typed messages off a socket."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection

from queue_server.live.settings import LiveSettings

HEARTBEAT = 0.3


def quick_settings(**changes: Any) -> LiveSettings:
    values: dict[str, Any] = {"heartbeat_seconds": HEARTBEAT, "voice_autobuild": False}
    values.update(changes)
    return LiveSettings(**values)


async def next_message(ws: ClientConnection, timeout: float = 3.0) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    return body


async def next_of(ws: ClientConnection, kind: str, timeout: float = 3.0) -> dict[str, Any]:
    """The next message of one type, skipping the others (heartbeats mostly)."""
    while True:
        body = await next_message(ws, timeout)
        if body["type"] == kind:
            return body
