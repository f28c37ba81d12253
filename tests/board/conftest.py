"""The hall board in real headless Chromium (Debian's /usr/bin/chromium) over the DevTools
protocol (tests/support/browser.py); no browser is ever downloaded."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.conftest import need
from tests.live.helpers import quick_settings
from tests.support.browser import Page, chromium_page, chromium_path
from tests.support.live_server import LiveServer, live_server


@pytest.fixture
def live(services: Services, tmp_path: Path) -> Iterator[LiveServer]:
    """A server with no voice clips: the board queues announcements without sound."""
    with live_server(create_app(services, quick_settings(voice_dir=tmp_path))) as running:
        yield running


@contextmanager
def board(base_url: str, hall: str = "test") -> Iterator[Page]:
    """The board of `hall` on a 1080p screen, once it is connected and knows its voice."""
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    with chromium_page(f"{base_url}/board/{hall}", width=1920, height=1080) as page:
        wait_until(
            page,
            "window.hallqBoard && window.hallqBoard.connected"
            " && window.hallqBoard.voiceMode !== 'pending'",
        )
        yield page


def wait_until(page: Page, expression: str, timeout: float = 8.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(f"(() => {{ try {{ return {expression}; }} catch {{ }} }})()")
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"the board never got to: {expression}")
        time.sleep(0.05)


def wait_text(page: Page, selector: str, text: str, timeout: float = 8.0) -> None:
    """Until the element's text contains `text`."""
    wait_until(page, f"{query(selector)}.textContent.includes({json.dumps(text)})", timeout)


def wait_class(page: Page, selector: str, name: str, timeout: float = 8.0) -> None:
    wait_until(page, f"{query(selector)}.classList.contains({json.dumps(name)})", timeout)


def query(selector: str) -> str:
    return f"document.querySelector({json.dumps(selector)})"


def text_of(page: Page, selector: str) -> str | None:
    value = page.evaluate(f"{query(selector)}?.textContent ?? null")
    return None if value is None else str(value)


def classes_of(page: Page, selector: str) -> set[str]:
    return set(page.evaluate(f"[...({query(selector)}?.classList ?? [])]") or [])


def count(page: Page, selector: str) -> int:
    return int(page.evaluate(f"document.querySelectorAll({json.dumps(selector)}).length"))


def is_hidden(page: Page, selector: str) -> bool:
    return bool(page.evaluate(f"{query(selector)}.hidden"))


def spoken(page: Page) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = page.evaluate(
        "JSON.parse(JSON.stringify(window.hallqBoard.spoken))"
    )
    return entries
