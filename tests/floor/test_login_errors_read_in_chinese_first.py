"""The floor monitor's login says what went wrong in Chinese first, then English, from the
server's error code, never the server's English message alone."""

from __future__ import annotations

import json

from tests.conftest import need
from tests.floor.conftest import Floor, wait_until
from tests.support.browser import chromium_page, chromium_path

ERROR = "document.getElementById('login-error').textContent"


def test_a_wrong_password_reads_in_chinese_then_english(floor: Floor) -> None:
    need(chromium_path() is not None, "Chromium is not installed")
    with chromium_page(f"{floor.server.url}/floor/test", width=1280, height=800) as page:
        wait_until(page, "!document.getElementById('login').hidden")
        page.evaluate(
            f"document.getElementById('login-staff').value = {json.dumps(floor.lead.staff_no)};"
            "document.getElementById('login-password').value = 'not the password';"
            "document.getElementById('login-form').requestSubmit();"
        )
        wait_until(page, f"{ERROR} !== ''")
        text = str(page.evaluate(ERROR))
        assert text.startswith("工号或密码错误")
        assert "Wrong staff number or password" in text
        assert page.evaluate("document.getElementById('app').hidden")
