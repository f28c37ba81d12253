"""HEAD answered as GET without the body (RFC 9110, 9.3.2: a general-purpose server supports
both). FastAPI's GET routes refuse HEAD with a 405, and the tools that look before they fetch
use it: uptime monitors on /healthz, link checkers, `curl -I` on the board's address."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Pure ASGI middleware: a HEAD request runs its GET route, and only the status and the
    headers (Content-Length as GET's) go out. The body is dropped here, not left to the
    server, so the answer is the same under any ASGI server."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def headers_only(message: Message) -> None:
            nonlocal ended
            if message["type"] == "http.response.body":
                if ended:
                    return
                ended = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
