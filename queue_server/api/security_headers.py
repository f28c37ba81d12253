"""Security headers on every answer, and a content security policy on every HTML page: the
hall board, the booking page (it takes ID numbers), the floor monitor and the ticket status
page load their scripts, styles and images from this server only, open websockets only to it,
and may not be framed by another site (docs/reliability.md, "Hostile input").

/docs and /redoc are the one exception to the CSP: the API explorer pages start with an inline
script that FastAPI writes; they still get nosniff, the referrer policy and no framing."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
EVERY_ANSWER = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
NO_CSP_PREFIXES = ("/docs", "/redoc")


class SecurityHeaders:
    """Pure ASGI middleware (websockets and streams pass through untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp_allowed = not scope.get("path", "").startswith(NO_CSP_PREFIXES)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in EVERY_ANSWER.items():
                    headers.setdefault(name, value)
                html = headers.get("content-type", "").startswith("text/html")
                if html and csp_allowed:
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        await self.app(scope, receive, with_headers)
