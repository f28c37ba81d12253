"""A request body over the limit is refused with a JSON 413 before the route reads it,
whether its size is declared (Content-Length) or not (chunked); nothing is saved."""

from __future__ import annotations

from collections.abc import Iterator

import httpx

from queue_server.api.body_limit import DEFAULT_MAX_BODY_BYTES
from tests.support.api import Api
from tests.support.live_server import LiveServer

URL = "/api/v1/halls/test/tickets"


def test_a_declared_oversized_body_is_refused(server: LiveServer, api: Api) -> None:
    body = b'{"service": "SOC", "pad": "' + b"x" * DEFAULT_MAX_BODY_BYTES + b'"}'
    response = api.http.post(URL, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert str(DEFAULT_MAX_BODY_BYTES) in response.json()["message"]
    assert api.snapshot()["last_seq"] == 0  # nothing was issued


def test_a_chunked_oversized_body_is_refused(server: LiveServer, api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"service": "SOC", "pad": "'
        for _ in range(DEFAULT_MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    response = api.http.post(URL, content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["message"]
    assert api.snapshot()["last_seq"] == 0


def test_a_normal_body_still_passes(server: LiveServer, api: Api) -> None:
    assert api.issue("SOC").status_code == 201
    assert isinstance(api.http, httpx.Client)
