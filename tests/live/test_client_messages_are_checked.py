"""What a client sends is checked: pings are answered, garbage gets an error, oversized
messages and bad queries close the connection with a reason."""

from __future__ import annotations

import pytest
import websockets
from websockets.exceptions import ConnectionClosed

from tests.live.helpers import next_message, next_of
from tests.support.live_server import LiveServer


async def _closing(ws: websockets.ClientConnection) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await next_message(ws)
    received = closed.value.rcvd
    assert received is not None
    return received.code, received.reason


async def test_ping_pong_and_garbage(live: LiveServer) -> None:
    async with websockets.connect(f"{live.ws_url}/api/v1/halls/test/events?since=0") as ws:
        await ws.send('{"type": "ping"}')
        assert await next_of(ws, "pong") == {"type": "pong"}
        for garbage in ["not json", "[1, 2]", '{"type": "subscribe"}', b"\x00\x01"]:
            await ws.send(garbage)
            error = await next_of(ws, "error")
            assert error["error"] == "invalid_message"
        # Still streaming after all that.
        assert (await next_of(ws, "heartbeat"))["seq"] == 0


async def test_oversized_message_closes_with_1009(live: LiveServer) -> None:
    async with websockets.connect(f"{live.ws_url}/api/v1/halls/test/events?since=0") as ws:
        await ws.send("x" * 5000)
        code, reason = await _closing(ws)
    assert code == 1009
    assert "4096 bytes" in reason


@pytest.mark.parametrize(
    ("query", "code", "text"),
    [
        ("/halls/nowhere/events", 4404, "unknown hall"),
        ("/halls/test/events?window=9", 4404, "no window 9"),
        ("/halls/test/events?since=-1", 4400, "since must be between"),
        ("/halls/test/events?since=abc", 4400, "since must be a whole number, not 'abc'"),
        ("/halls/test/events?since=--5", 4400, "since must be a whole number, not '--5'"),
        ("/halls/test/events?since=" + "9" * 5000, 4400, "since must be between"),
    ],
)
async def test_bad_requests_are_refused_with_a_reason(
    live: LiveServer, query: str, code: int, text: str
) -> None:
    async with websockets.connect(f"{live.ws_url}/api/v1{query}") as ws:
        error = await next_message(ws)
        assert error["type"] == "error"
        assert text in error["message"]
        assert (await _closing(ws))[0] == code
