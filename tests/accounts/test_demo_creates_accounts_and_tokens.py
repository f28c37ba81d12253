"""`hallq demo` creates its accounts and device tokens and says how to start a clerk console
and a window display with them; a second start keeps the accounts and the tokens (a display
left running carries on), and a token file that is gone gets a new token, the old one dead."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx

from queue_server.api.app import create_app
from queue_server.demo import demo_hall_config
from queue_server.demo.access import seed_demo_access
from queue_server.domain.clock import ManualClock
from tests.support.auth import bearer
from tests.support.factories import make_services
from tests.support.live_server import live_server


def test_the_demo_seeds_accounts_and_tokens(
    sqlite_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    services = make_services(sqlite_url, demo_hall_config(), clock=clock)
    text = seed_demo_access(services, "http://127.0.0.1:8000", tmp_path)
    assert "hallq console --server http://127.0.0.1:8000 --hall demo --window 1" in text
    display_file = tmp_path / "display-1.token"
    assert f"HALLQ_DEVICE_TOKEN=$(cat {display_file}) hallq display" in text
    assert "1001  demo-pass-1" in text
    assert stat.S_IMODE(display_file.stat().st_mode) == 0o600
    first = display_file.read_text().strip()

    seed_demo_access(services, "http://127.0.0.1:8000", tmp_path)
    assert display_file.read_text().strip() == first
    display_file.unlink()
    seed_demo_access(services, "http://127.0.0.1:8000", tmp_path)
    second = display_file.read_text().strip()
    assert second != first
    assert stat.S_IMODE(display_file.stat().st_mode) == 0o600
    with live_server(create_app(services)) as server:
        me = f"{server.url}/api/v1/auth/me"
        assert httpx.get(me, headers=bearer(first)).status_code == 401
        assert httpx.get(me, headers=bearer(second)).json()["window"] == 1
        kiosk = (tmp_path / "kiosk-1.token").read_text().strip()
        assert httpx.get(me, headers=bearer(kiosk)).json()["device_kind"] == "kiosk"
        login = httpx.post(
            f"{server.url}/api/v1/auth/login",
            json={"staff_no": "1001", "password": "demo-pass-1"},
        )
        assert login.json()["user"]["role"] == "clerk"
    services.db.engine.dispose()
