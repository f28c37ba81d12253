"""`/` is a start page, not {"error":"not_found"}: in 中文 then English it links each hall's
board, floor monitor, booking page and snapshot, the API docs and health, and every link
answers. The demo's accounts are listed on the demo only. At a phone's and a desk's width
every link is on screen and nothing runs off the side."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from queue_server.api.app import create_app
from queue_server.demo import demo_hall_config
from queue_server.demo.accounts import DEMO_USERS
from queue_server.domain.clock import ManualClock
from tests.conftest import need
from tests.support.browser import chromium_page, chromium_path
from tests.support.factories import make_services
from tests.support.live_server import live_server


def test_the_start_page_links_every_page_in_both_languages(
    sqlite_url: str, clock: ManualClock
) -> None:
    services = make_services(sqlite_url, demo_hall_config(), clock=clock)
    app = create_app(services)
    with live_server(app) as server:
        page = httpx.get(f"{server.url}/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        html = page.text
        zh, en = html.index("大厅显示屏"), html.index("Hall board")
        assert zh < en
        for chinese, english in [
            ("值班长监控", "Floor monitor"),
            ("网上预约", "Book an appointment"),
            ("接口文档", "API docs"),
            ("运行状态", "Health"),
        ]:
            assert chinese in html and english in html
        links = re.findall(r'href="([^"]+)"', html)
        for path in ("/board/demo", "/floor/demo", "/book/demo", "/docs", "/healthz"):
            assert path in links
        for path in links:
            assert httpx.get(f"{server.url}{path}").status_code == 200, path
        assert "demo-pass-1" not in html  # not the demo: no accounts

        app.state.demo_accounts = DEMO_USERS
        html = httpx.get(f"{server.url}/").text
        for user in DEMO_USERS:
            assert f"<code>{user.staff_no}</code>" in html
            assert f"<code>{user.password}</code>" in html
        assert "值班长" in html and "duty lead" in html
    services.db.engine.dispose()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_every_link_is_on_screen_at_a_phone_and_a_desk(
    sqlite_url: str, clock: ManualClock, tmp_path: Path, width: int, height: int
) -> None:
    need(chromium_path() is not None, "chromium is not installed (scripts/system-deps.sh)")
    services = make_services(sqlite_url, demo_hall_config(), clock=clock)
    app = create_app(services)
    app.state.demo_accounts = DEMO_USERS
    with (
        live_server(app) as server,
        chromium_page(f"{server.url}/", width=width, height=height) as page,
    ):
        page.wait_for_text("大厅显示屏", "Hall board")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        boxes = page.evaluate(
            "[...document.querySelectorAll('a')].map(a => {"
            " const r = a.getBoundingClientRect();"
            " return [a.getAttribute('href'), r.left, r.right, r.width, r.height]; })"
        )
        assert len(boxes) >= 8
        for href, left, right, box_width, box_height in boxes:
            assert box_width > 0 and box_height > 0, href
            assert left >= 0 and right <= width, href
    services.db.engine.dispose()
