"""Refuse request bodies over a size limit before anything reads them (413, JSON).

Every route takes a few kilobytes (the largest, a notice of 50 materials, about 60 KiB of
escaped JSON) except the booking import (its file travels inside the JSON body, up to
5,000,000 characters); a client sending more is broken or hostile and must not make the
server buffer it, nor parse it: FastAPI parses a JSON body on the event loop before the
route's access check, so the small limit also bounds what an anonymous caller can make every
other request wait for (docs/reliability.md, "Oversized bodies"). The import route reads its
body itself, after the access check and off the event loop (queue_server/api/routes/bookings.py).
The declared Content-Length is checked first; a body sent without one (chunked) is counted
as it arrives and cut off at the limit.
"""

from __future__ import annotations

import json
import re

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 64 * 1024
IMPORT_MAX_BODY_BYTES = 8 * 1024 * 1024
LARGE_BODY_ROUTES = (re.compile(r"^/api/v1/halls/[^/]+/bookings/import$"),)


def limit_for(path: str) -> int:
    if any(route.match(path) for route in LARGE_BODY_ROUTES):
        return IMPORT_MAX_BODY_BYTES
    return DEFAULT_MAX_BODY_BYTES


def _message(limit: int) -> str:
    return f"the request body is larger than {limit} bytes; nothing was saved"


class BodyLimit:
    """Pure ASGI middleware (no BaseHTTPMiddleware: websockets and streaming pass through)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await _refuse(send, max_bytes)
            return
        received = 0

        async def counting_receive() -> Message:
            # Raised while the route reads its body: the app's error handlers answer it
            # (413 "too_large", queue_server/api/errors.py).
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise HTTPException(413, _message(max_bytes))
            return message

        await self.app(scope, counting_receive, send)


async def _refuse(send: Send, max_bytes: int) -> None:
    body = json.dumps({"error": "too_large", "message": _message(max_bytes)}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
