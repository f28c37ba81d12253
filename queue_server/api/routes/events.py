"""The hall's event stream over a websocket (ARCHITECTURE.md: replay since seq, then live)."""

from __future__ import annotations

import re

from fastapi import APIRouter, WebSocket

from queue_server.live.connection import Connection
from queue_server.live.messages import error_text
from queue_server.live.runtime import LiveHall

router = APIRouter(prefix="/api/v1", tags=["live"])

CLOSE_UNKNOWN_HALL = 4404
CLOSE_BAD_REQUEST = 4400
_WHOLE_NUMBER = re.compile(r"^-?[0-9]+$")  # ASCII digits only: int() also takes "١٢" and " 7"


def _int_param(websocket: WebSocket, name: str, low: int, high: int) -> int | None:
    raw = websocket.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not _WHOLE_NUMBER.match(raw):
        raise ValueError(f"{name} must be a whole number, not {raw[:20]!r}")
    # A string of thousands of digits is out of range, not a Python limit to report.
    value = int(raw) if len(raw) <= 20 else high + 1
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}")
    return value


@router.websocket("/halls/{hall}/events")
async def hall_events(websocket: WebSocket, hall: str) -> None:
    """Query: since=<seq> (resume after it), window=<n> (only that window's events)."""
    live: LiveHall = websocket.app.state.live
    await websocket.accept()
    feed = live.feed(hall)
    if feed is None:
        await _refuse(websocket, CLOSE_UNKNOWN_HALL, "not_found", f"unknown hall {hall!r}")
        return
    try:
        since = _int_param(websocket, "since", 0, 2**62)
        window = _int_param(websocket, "window", 1, 999)
    except ValueError as exc:
        message = f"invalid query: {exc}; use since=<seq> and window=<number>"
        await _refuse(websocket, CLOSE_BAD_REQUEST, "invalid_request", message)
        return
    if window is not None and live.halls.get(hall).config.window(window) is None:
        message = f"hall {hall!r} has no window {window}"
        await _refuse(websocket, CLOSE_UNKNOWN_HALL, "not_found", message)
        return
    await Connection(websocket, live, feed, window).serve(since)


async def _refuse(websocket: WebSocket, code: int, error: str, message: str) -> None:
    await websocket.send_text(error_text(error, message))
    await websocket.close(code, message[:120])
