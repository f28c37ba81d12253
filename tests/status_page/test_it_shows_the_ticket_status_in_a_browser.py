"""The QR target: the ticket's status page, live, in a real (headless) Chromium."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from tests.conftest import need
from tests.support.auth import duty_lead_headers
from tests.support.browser import chromium_page, chromium_path
from tests.support.live_server import LiveServer


def test_it_shows_the_ticket_status_in_a_browser(server: LiveServer, services: Services) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt install chromium)")
    # The duty lead may take numbers and call at any window; the page itself needs no token.
    api = httpx.Client(base_url=server.url, headers=duty_lead_headers(services))
    api.post("/api/v1/halls/test/tickets", json={"service": "SOC"})
    ticket = api.post("/api/v1/halls/test/tickets", json={"service": "SOC"}).json()
    assert ticket["number"] == "A002"

    with chromium_page(f"{server.url}/t/{ticket['id']}?poll=1") as page:
        text = page.wait_for_text("A002", "等候中", "Waiting", "测试大厅", "社保")
        assert "前面等候" in text and "People ahead" in text
        assert page.evaluate("document.getElementById('ahead').textContent") == "1"
        assert "分钟" in page.evaluate("document.getElementById('wait').textContent")

        assert api.post("/api/v1/halls/test/windows/1/call-next").json()["number"] == "A001"
        assert api.post("/api/v1/halls/test/windows/3/call-next").json()["number"] == "A002"
        text = page.wait_for_text("已叫号", "3 号窗口", "Window 3")
        shown = "getComputedStyle(document.getElementById('queue')).display"
        assert page.evaluate(shown) == "none"  # no "people ahead" once called


def test_it_says_when_there_is_no_such_ticket(server: LiveServer) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt install chromium)")
    with chromium_page(f"{server.url}/t/0000000000000000") as page:
        page.wait_for_text("未找到该号码", "Ticket not found")
