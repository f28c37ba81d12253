"""Security review, finding 8 (low, docs/reliability.md): the HTML pages had no security headers.
Every page now has a content security policy (own scripts only, no framing), nosniff and no
referrer; the API's JSON answers get nosniff too."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from tests.support.api import Api
from tests.support.live_server import LiveServer


def test_html_pages_carry_security_headers(
    server: LiveServer, api: Api, services: Services
) -> None:
    ticket = api.ticket("SOC")
    pages = ["/board/test", "/book/test", "/floor/test", f"/t/{ticket['id']}"]
    for page in pages:
        answer = httpx.get(f"{server.url}{page}")
        assert answer.status_code == 200, page
        assert answer.headers["content-type"].startswith("text/html"), page
        csp = answer.headers["content-security-policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"):
            assert directive in csp, (page, directive)
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
    snapshot = httpx.get(f"{server.url}/api/v1/halls/test/snapshot")
    assert snapshot.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in snapshot.headers
