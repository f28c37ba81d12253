"""/docs and /redoc come from files on the server: in a Chromium that cannot reach any host but
the server (a hall LAN), both pages list the API's operations."""

from __future__ import annotations

import time

from tests.conftest import need
from tests.support.browser import OFFLINE, Page, chromium_page, chromium_path
from tests.support.live_server import LiveServer


def wait_for(page: Page, expression: str, timeout: float = 20.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(f"(() => {{ try {{ return {expression}; }} catch {{ }} }})()")
        if value:
            return value
        assert time.monotonic() < deadline, f"the page never got to: {expression}"
        time.sleep(0.1)


def test_swagger_ui_lists_the_operations_offline(server: LiveServer) -> None:
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    with chromium_page(f"{server.url}/docs", width=1280, height=800, flags=OFFLINE) as page:
        count = wait_for(page, "document.querySelectorAll('.opblock').length")
        assert isinstance(count, int) and count > 20
        assert "/api/v1/halls/{hall}/tickets" in page.text()
        external = page.evaluate(
            "[...document.querySelectorAll('script[src], link[href]')]"
            ".map(e => e.src || e.href).filter(u => !u.startsWith(location.origin))"
        )
        assert external == []


def test_redoc_lists_the_operations_offline(server: LiveServer) -> None:
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    with chromium_page(f"{server.url}/redoc", width=1280, height=800, flags=OFFLINE) as page:
        count = wait_for(
            page, "document.querySelectorAll('[data-section-id^=\"operation/\"]').length"
        )
        assert isinstance(count, int) and count > 20
        external = page.evaluate(
            "[...document.querySelectorAll('script[src], link[href]')]"
            ".map(e => e.src || e.href).filter(u => !u.startsWith(location.origin))"
        )
        assert external == []
