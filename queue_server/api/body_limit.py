"""Refuse request bodies over a size limit before anything reads them (413, JSON).

Every route takes a few kilobytes except the booking import (its file travels inside the JSON
body, up to 5,000,000 characters); a client sending more than that is broken or hostile and
must not make the server buffer it.
The declared Content-Length is checked first; a body sent without one (chunked) is counted
as it arrives and cut off at the limit.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024


def _message(limit: int) -> str:
    return f"the request body is larger than {limit} bytes; nothing was saved"


class BodyLimit:
    """Pure ASGI middleware (no BaseHTTPMiddleware: websockets and streaming pass through)."""

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            # Raised while the route reads its body: the app's error handlers answer it
            # (413 "too_large", queue_server/api/errors.py).
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, _message(self.max_bytes))
            return message

        await self.app(scope, counting_receive, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": "too_large", "message": _message(self.max_bytes)}).encode()
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
