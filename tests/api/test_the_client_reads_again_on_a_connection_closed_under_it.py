"""The screens' API client (hallq_client) and kept-alive connections. A server or proxy closes
an idle connection after a while; a request that goes out on it just then comes back as
"Server disconnected without sending a response" (a kiosk's catalog refresh once failed so,
after a quiet spell). The client drops idle connections before uvicorn does, sends a read
again once on a new connection, and never repeats a write, which the server may have done."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn

from hallq_client import HallqClient, ServerUnreachable
from hallq_client.api import KEEPALIVE_SECONDS


class ClosingServer:
    """Answers the first request on each connection, keeps it alive, and closes it without a
    word when a second request comes on it. Records (connection, method) of each request."""

    def __init__(self) -> None:
        self.seen: list[tuple[int, str]] = []
        self._connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections += 1
        connection = self._connections
        try:
            for nth in range(2):
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                self.seen.append((connection, lines[0].split(" ")[0]))
                length = next(
                    (int(x.split(":")[1]) for x in lines if x.lower().startswith("content-length")),
                    0,
                )
                await reader.readexactly(length)
                if nth == 1:
                    return  # closed under the request, no answer
                body = b"[]"
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    + f"content-length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()


@asynccontextmanager
async def closing_server() -> AsyncIterator[tuple[ClosingServer, str]]:
    server = ClosingServer()
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield server, f"http://127.0.0.1:{port}"
    finally:
        listening.close()
        await listening.wait_closed()


async def test_a_read_is_sent_again_on_a_new_connection() -> None:
    async with closing_server() as (server, url), HallqClient(url, "demo") as client:
        assert await client.request("GET", "/api/v1/halls") == []
        assert await client.request("GET", "/api/v1/halls") == []
    assert server.seen == [(1, "GET"), (1, "GET"), (2, "GET")]


async def test_a_write_is_not_sent_again() -> None:
    async with closing_server() as (server, url), HallqClient(url, "demo") as client:
        await client.request("GET", "/api/v1/halls")
        with pytest.raises(ServerUnreachable):
            await client.request("POST", "/api/v1/halls/demo/windows/1/call-next")
    assert server.seen == [(1, "GET"), (1, "POST")]


def test_idle_connections_are_dropped_before_uvicorn_drops_them() -> None:
    # `hallq serve` runs uvicorn with its default
    served = inspect.signature(uvicorn.Config).parameters["timeout_keep_alive"].default
    assert served > KEEPALIVE_SECONDS
