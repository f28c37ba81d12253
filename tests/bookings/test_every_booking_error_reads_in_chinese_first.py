"""Every invalid field of the booking form, and every refusal of a lookup or cancellation,
reads in Chinese first with English after it on the page: the server answers with a stable
code and the field, the page maps them to its own texts. Cancelling asks first, and each slot
shows its free places."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.bookings.helpers import id_number
from tests.bookings.test_a_visitor_books_on_the_page import fill, wait_until
from tests.conftest import need
from tests.support.browser import Page, chromium_page, chromium_path
from tests.support.live_server import LiveServer

GOOD = {"name": "张三丰", "phone": "13812345678", "id_number": id_number(1)}

# field, a wrong value, what the Chinese text must say
INVALID = [
    ("name", "", "姓名"),
    ("name", "张3丰", "不含数字"),
    ("phone", "1381234", "11位手机号码"),
    ("phone", "23812345678", "11位手机号码"),
    ("id_number", "11010119900307", "18位身份证号码"),
    ("id_number", "11010119900307001Y", "18位身份证号码"),
    ("id_number", "110101199002300012", "出生日期"),
    ("id_number", "110101199003070010", "校验码不符"),
]


@pytest.fixture
def page(server: LiveServer) -> Iterator[Page]:
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    with chromium_page(f"{server.url}/book/test") as opened:
        wait_until(opened, "window.hallqBooking.ready")
        opened.evaluate(
            "const day = document.getElementById('day');"
            "day.value = '2026-11-26'; day.dispatchEvent(new Event('change'));"
        )
        wait_until(opened, "document.querySelectorAll('#slot-list button').length === 7")
        yield opened


def problem(page: Page) -> tuple[str, str]:
    wait_until(page, "!document.getElementById('problem').hidden")
    zh = page.evaluate("document.getElementById('problem').firstChild.textContent")
    en = page.evaluate("document.querySelector('#problem [lang=en]').textContent")
    return str(zh), str(en)


def submit(page: Page) -> None:
    page.evaluate("document.getElementById('problem').hidden = true")
    page.evaluate("document.getElementById('submit').click()")


def test_each_invalid_field_reads_in_chinese_then_english(page: Page) -> None:
    submit(page)
    zh, en = problem(page)
    assert zh == "请选择时段" and en == "Please choose a time"
    page.evaluate("document.querySelector('#slot-list button').click()")
    for field, wrong, words in INVALID:
        for name, value in GOOD.items():
            fill(page, name, wrong if name == field else value)
        submit(page)
        zh, en = problem(page)
        assert words in zh, (field, wrong, zh)
        # The page's own English, not the server's developer text ("phone: String should...").
        assert en and not en.startswith(f"{field}:") and "should" not in en, (field, wrong, en)


def test_a_lookup_that_finds_nothing_reads_in_chinese(page: Page) -> None:
    page.evaluate("document.getElementById('manage').open = true")
    fill(page, "m-code", "ZZZZZZ")
    fill(page, "m-phone", "13812345678")
    page.evaluate("document.getElementById('lookup').click()")
    text = page.wait_for_text("没有找到该预约")
    assert "No booking with this code and phone number" in text


def test_cancelling_asks_first_and_each_slot_shows_its_free_places(page: Page) -> None:
    first = page.evaluate("document.querySelector('#slot-list button .free').textContent")
    assert first == "余 2 个 · 2 left"
    page.evaluate("document.querySelector('#slot-list button').click()")
    for name, value in GOOD.items():
        fill(page, name, value)
    page.evaluate("document.getElementById('submit').click()")
    page.wait_for_text("预约成功")
    code = str(page.evaluate("document.getElementById('code').textContent"))

    page.evaluate("document.getElementById('manage').open = true")
    fill(page, "m-code", code)
    fill(page, "m-phone", GOOD["phone"])
    page.evaluate("document.getElementById('cancel').click()")
    wait_until(page, "!document.getElementById('confirm-cancel').hidden")
    assert code in page.text()
    page.evaluate("document.getElementById('confirm-no').click()")
    lookup(page)
    assert "已预约" in page.evaluate("document.getElementById('manage-result').textContent")

    page.evaluate("document.getElementById('cancel').click()")
    wait_until(page, "!document.getElementById('confirm-cancel').hidden")
    page.evaluate("document.getElementById('confirm-yes').click()")
    wait_until(page, "document.getElementById('manage-result').textContent.includes('已取消')")


def lookup(page: Page) -> None:
    page.evaluate("document.getElementById('manage-result').textContent = ''")
    page.evaluate("document.getElementById('lookup').click()")
    wait_until(
        page, f"document.getElementById('manage-result').textContent.includes({json.dumps('·')})"
    )
