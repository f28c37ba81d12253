"""A window display with its rating pad, against a real server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.pilot import Pilot

from hallq_client import HallqClient
from tests.support.tui import piloted
from window_display.app import WindowDisplay
from window_display.rating import RatingPad


@asynccontextmanager
async def running_display(
    url: str,
    window: int,
    token: str,
    *,
    timeout: float = 30.0,
    size: tuple[int, int] = (120, 36),
) -> AsyncIterator[tuple[WindowDisplay, Pilot[None]]]:
    client = HallqClient(url, "test", token=token)
    pad = RatingPad(client, window, timeout=timeout, thanks_for=0.2)
    stream = client.events(window=window)
    app = WindowDisplay(window, stream, rating=pad)
    try:
        async with piloted(app, size) as pilot:
            yield app, pilot
    finally:
        await stream.aclose()
        await client.aclose()
