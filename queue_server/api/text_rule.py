"""The text input rule (queue_server.domain.text_input) for the URL: a path or query parameter
with a control character is refused with 422 naming it before any route looks it up, so
PostgreSQL never sees a NUL (it refuses one with an error, SQLite matches nothing).
Request bodies follow the same rule through queue_server.api.schemas.Request."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from queue_server.domain.text_input import text_problem


def url_problem(scope: Scope) -> tuple[str, str] | None:
    """(the part named, its problem) for the first offending part of the URL, or None."""
    problem = text_problem(scope.get("path", ""))
    if problem is not None:
        return "path", problem
    query = scope.get("query_string", b"").decode("latin-1")
    for name, value in parse_qsl(query, keep_blank_values=True):
        problem = text_problem(name)
        if problem is not None:
            return "query", problem
        problem = text_problem(value)
        if problem is not None:
            return f"query.{name}", problem
    return None


class UrlTextRule:
    """Pure ASGI middleware: 422 JSON for HTTP, close 1008 for a websocket."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        found = url_problem(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        field, problem = found
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008, "reason": f"{field}: {problem}"})
            return
        body = json.dumps(
            {
                "error": "invalid_request",
                "message": f"{field}: {problem}",
                "details": [{"field": field, "problem": problem}],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 422,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
