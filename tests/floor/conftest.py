"""The floor monitor against a real server: a small hall whose alert watch ticks fast, the
duty lead's account, and the page in headless Chromium logged in through its own form."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.config.models import FloorSection, HallConfig
from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.clock import ManualClock
from tests.conftest import need
from tests.live.helpers import quick_settings
from tests.support.auth import PASSWORD, StaffLogin, bearer, device_token, staff_login
from tests.support.browser import Page, chromium_page, chromium_path
from tests.support.factories import make_services, small_hall
from tests.support.live_server import LiveServer, live_server


def floor_hall(**floor: Any) -> HallConfig:
    """The small test hall with a fast alert tick (and any other [floor] values)."""
    settings = FloorSection(**{"tick_seconds": 0.3, **floor})
    return small_hall().model_copy(update={"floor": settings})


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, floor_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


@pytest.fixture
def live(services: Services, tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(create_app(services, quick_settings(voice_dir=tmp_path))) as running:
        yield running


@dataclass
class Floor:
    """The hall seen by the duty lead (`api`) and by kiosk-1 (`kiosk`)."""

    server: LiveServer
    services: Services
    lead: StaffLogin
    api: httpx.Client
    kiosk: httpx.Client

    def alerts(self, *, everything: bool = False) -> list[dict[str, Any]]:
        query = "?include_acknowledged=true" if everything else ""
        found: list[dict[str, Any]] = self.api.get(f"/alerts{query}").json()
        return found


@pytest.fixture
def floor(live: LiveServer, services: Services) -> Iterator[Floor]:
    lead = staff_login(services, Role.DUTY_LEAD, staff_no="2001", name="赵敏")
    token = device_token(services, DeviceKind.KIOSK, name="kiosk-1")
    base = f"{live.url}/api/v1/halls/test"
    with (
        httpx.Client(base_url=base, headers=lead.headers, timeout=30) as api,
        httpx.Client(base_url=base + "/devices/kiosk-1", headers=bearer(token)) as kiosk,
    ):
        yield Floor(live, services, lead, api, kiosk)


@contextmanager
def floor_page(floor: Floor, staff_no: str = "2001") -> Iterator[Page]:
    """The floor monitor on a tablet, logged in through its own form."""
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    with chromium_page(f"{floor.server.url}/floor/test", width=1280, height=900) as page:
        wait_until(page, "!document.getElementById('login').hidden")
        page.evaluate(
            f"""(() => {{
              document.getElementById('login-staff').value = {json.dumps(staff_no)};
              document.getElementById('login-password').value = {json.dumps(PASSWORD)};
              document.getElementById('login-form').requestSubmit();
            }})()"""
        )
        wait_until(page, "window.hallqFloor.state.loads > 0 && window.hallqFloor.connected")
        # Confirmation dialogs are the tablet's; the test answers yes.
        page.evaluate("window.confirm = () => true")
        yield page


def wait_until(page: Page, expression: str, timeout: float = 10.0) -> Any:
    """Poll the page until the expression is truthy; generous deadline, no timing asserted."""
    deadline = time.monotonic() + timeout
    while True:
        # `!!`: a DOM node comes back over CDP as an empty (falsy) object.
        value = page.evaluate(f"(() => {{ try {{ return !!({expression}); }} catch {{ }} }})()")
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the floor monitor never got to: {expression}\nit shows:\n{page.text()}"
            )
        time.sleep(0.05)


def alert_on_page(rule: str, extra: str = "") -> str:
    return f"document.querySelector('#alerts li[data-rule=\"{rule}\"]{extra}')"
