"""HEAD is answered as GET would be, without the body (RFC 9110, 9.3.2), under the same
access rules: uptime monitors, link checkers and `curl -I` look before they fetch."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from queue_server.api.head_as_get import HeadAsGet
from tests.support.api import Api


def test_it_answers_head_with_gets_status_and_headers(api: Api) -> None:
    for path in ("/healthz", "/board/test", "/api/v1/halls/test/snapshot"):
        got = api.http.get(path)
        head = api.http.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
        assert head.headers["content-length"] == got.headers["content-length"], path


def test_the_board_page_keeps_its_security_headers_on_head(api: Api) -> None:
    head = api.http.head("/board/test")
    assert "frame-ancestors 'none'" in head.headers["content-security-policy"]
    assert head.headers["x-content-type-options"] == "nosniff"


def test_it_keeps_the_access_rules_on_head(api: Api) -> None:
    assert api.http.head("/api/v1/halls/test/floor").status_code == 200
    api.http.headers.pop("Authorization", None)
    assert api.http.head("/api/v1/halls/test/floor").status_code == 401


def test_it_still_refuses_head_where_there_is_no_get(api: Api) -> None:
    assert api.http.head("/api/v1/auth/login").status_code == 405


def test_it_drops_the_body_itself_under_any_server() -> None:
    """httpx's ASGI transport passes on whatever body the app sends: the middleware, not the
    server, must stop a streamed GET's chunks."""

    async def chunks() -> AsyncIterator[bytes]:
        for part in (b"one,", b"two,", b"three"):
            yield part

    async def streamed(_: Request) -> StreamingResponse:
        return StreamingResponse(chunks(), media_type="text/plain")

    app = HeadAsGet(Starlette(routes=[Route("/stream", streamed)]))

    async def ask() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get("/stream"), await client.head("/stream")

    got, head = asyncio.run(ask())
    assert got.content == b"one,two,three"
    assert head.status_code == 200
    assert head.content == b""
