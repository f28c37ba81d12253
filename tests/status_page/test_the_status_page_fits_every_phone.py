"""The ticket status page on the phones of docs/devices.md, waiting and then called: nothing
wider than the screen or clipped, text at least 16 px, contrast at least 4.5:1."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from tests.conftest import need
from tests.support.auth import duty_lead_headers
from tests.support.browser import chromium_page, chromium_path
from tests.support.handheld import handheld_problems
from tests.support.live_server import LiveServer
from tests.support.screens import PHONE_SCREENS, set_screen


def test_the_status_page_fits_every_phone(server: LiveServer, services: Services) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt install chromium)")
    api = httpx.Client(base_url=server.url, headers=duty_lead_headers(services))
    ticket = api.post("/api/v1/halls/test/tickets", json={"service": "SOC"}).json()
    problems: list[str] = []
    with chromium_page(f"{server.url}/t/{ticket['id']}?poll=1") as page:
        page.wait_for_text("等候中", "Waiting", "测试大厅")
        for screen in PHONE_SCREENS:
            set_screen(page, screen)
            problems += handheld_problems(page, screen)
        api.post("/api/v1/halls/test/windows/1/call-next")
        page.wait_for_text("已叫号", "1 号窗口")
        for screen in PHONE_SCREENS:
            set_screen(page, screen)
            problems += handheld_problems(page, screen)
    assert not problems, "\n".join(problems)
