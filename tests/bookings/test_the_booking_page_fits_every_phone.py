"""The booking page on the phones of docs/devices.md, with its slots, an error and the cancel
confirmation shown: nothing wider than the screen or clipped, text at least 16 px, contrast at
least 4.5:1."""

from __future__ import annotations

from tests.bookings.test_a_visitor_books_on_the_page import fill, wait_until
from tests.conftest import need
from tests.support.browser import chromium_page, chromium_path
from tests.support.handheld import handheld_problems
from tests.support.live_server import LiveServer
from tests.support.screens import PHONE_SCREENS, set_screen


def test_the_booking_page_fits_every_phone(server: LiveServer) -> None:
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    problems: list[str] = []
    with chromium_page(f"{server.url}/book/test") as page:
        wait_until(page, "window.hallqBooking.ready")
        page.evaluate(
            "const day = document.getElementById('day');"
            "day.value = '2026-11-26'; day.dispatchEvent(new Event('change'));"
        )
        wait_until(page, "document.querySelectorAll('#slot-list button').length === 7")
        page.evaluate("document.querySelector('#slot-list button').click()")
        fill(page, "phone", "1381234")
        page.evaluate("document.getElementById('submit').click()")
        wait_until(page, "!document.getElementById('problem').hidden")
        page.evaluate("document.getElementById('manage').open = true")
        fill(page, "m-code", "ABCDEF")
        page.evaluate("document.getElementById('cancel').click()")
        wait_until(page, "!document.getElementById('confirm-cancel').hidden")
        for screen in PHONE_SCREENS:
            set_screen(page, screen)
            problems += handheld_problems(page, screen)
    assert not problems, "\n".join(problems)
