"""The mobile booking page in headless Chromium: choose a service, a day and a slot, fill in
the form, and get a booking code; a wrong ID number shows the reason in Chinese."""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.storage.booking_tables import Booking
from tests.bookings.helpers import id_number
from tests.conftest import need
from tests.support.browser import Page, chromium_page, chromium_path
from tests.support.live_server import LiveServer


def wait_until(page: Page, expression: str, timeout: float = 10.0) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(f"(() => {{ try {{ return {expression}; }} catch {{ }} }})()")
        if value:
            return value
        assert time.monotonic() < deadline, f"the page never got to: {expression}"
        time.sleep(0.05)


def fill(page: Page, field: str, value: str) -> None:
    page.evaluate(f"document.getElementById({json.dumps(field)}).value = {json.dumps(value)}")


def test_a_visitor_books_on_the_page(server: LiveServer, services: Services) -> None:
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    with chromium_page(f"{server.url}/book/test") as page:
        wait_until(page, "window.hallqBooking.ready")
        page.wait_for_text("测试大厅", "网上预约")
        services_offered = page.evaluate(
            "[...document.getElementById('service').options].map(o => o.value)"
        )
        assert services_offered == ["SOC", "TAX"]
        page.evaluate(
            "const day = document.getElementById('day');"
            "day.value = '2026-11-26'; day.dispatchEvent(new Event('change'));"
        )
        wait_until(page, "document.querySelectorAll('#slot-list button').length === 7")
        assert page.evaluate("document.querySelector('#slot-list button .time').textContent") == (
            "09:00-10:00"
        )
        page.evaluate("document.querySelector('#slot-list button').click()")
        fill(page, "name", "张三丰")
        fill(page, "phone", "13812345678")
        fill(page, "id_number", "110101199003070010")  # wrong check character
        page.evaluate("document.getElementById('submit').click()")
        page.wait_for_text("校验码不符", "does not match")

        fill(page, "id_number", id_number(1))
        page.evaluate("document.getElementById('submit').click()")
        text = page.wait_for_text("预约成功")
        code = page.evaluate("document.getElementById('code').textContent")
        assert "张*丰" in text and "138****5678" in text and "09:00-10:00" in text
        assert id_number(1) not in text

    with services.db.read() as session:
        [booking] = session.scalars(select(Booking)).all()
    assert booking.code == code
    assert f"{booking.slot_start:%Y-%m-%d %H:%M}" == "2026-11-26 01:00"  # 09:00 in Shanghai
