"""The status page rings and vibrates when the visitor's number is called, once they have
tapped "alert me" (browsers allow sound only after a touch), and not before the call."""

from __future__ import annotations

import time

import httpx

from queue_server.api.deps import Services
from tests.conftest import need
from tests.support.auth import duty_lead_headers
from tests.support.browser import Page, chromium_page, chromium_path
from tests.support.live_server import LiveServer


def tap(page: Page, element_id: str) -> None:
    """A click that counts as the visitor's own touch (it unlocks sound)."""
    page.send(
        "Runtime.evaluate",
        {"expression": f"document.getElementById('{element_id}').click()", "userGesture": True},
    )


def wait_for(page: Page, expression: str, timeout: float = 10.0) -> object:
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(expression)):
        assert time.monotonic() < deadline, f"the page never got to: {expression}"
        time.sleep(0.1)
    return value


def test_it_rings_and_vibrates_when_the_number_is_called(
    server: LiveServer, services: Services
) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt install chromium)")
    api = httpx.Client(base_url=server.url, headers=duty_lead_headers(services))
    ticket = api.post("/api/v1/halls/test/tickets", json={"service": "SOC"}).json()

    with chromium_page(f"{server.url}/t/{ticket['id']}?poll=1") as page:
        page.wait_for_text("等候中", "开启叫号提醒", "Alert me when called")
        tap(page, "alert-me")
        wait_for(page, "window.hallqStatus.alert.armed")
        page.wait_for_text("叫号时将响铃并振动", "ring and vibrate")
        assert page.evaluate("window.hallqStatus.alert.fired.length") == 0

        assert api.post("/api/v1/halls/test/windows/1/call-next").json()["id"] == ticket["id"]
        page.wait_for_text("已叫号", "1 号窗口")
        fired = wait_for(page, "window.hallqStatus.alert.fired")
        assert fired == [{"sound": True, "vibrate": True}]
