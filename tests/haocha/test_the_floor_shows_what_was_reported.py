"""The duty lead's floor monitor shows what was reported to the province today and what is
still waiting (records not collected yet included), on the API and on the tablet."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx

from queue_server.api.app import create_app
from queue_server.config.models import FloorSection
from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.services.haocha import HaochaReporter
from tests.floor.conftest import Floor, floor_page, wait_until
from tests.live.helpers import quick_settings
from tests.support.auth import bearer, device_token, staff_login
from tests.support.factories import make_services
from tests.support.haocha import RatedVisits, reporting_hall
from tests.support.haocha_receiver import HaochaReceiver
from tests.support.live_server import live_server


def test_reported_and_pending_on_the_api_and_the_page(
    sqlite_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    receiver = HaochaReceiver()  # down for now
    hall = reporting_hall(receiver.url, tmp_path, deliver_every_seconds=3600)
    hall = hall.model_copy(update={"floor": FloorSection(tick_seconds=0.3)})
    services = make_services(sqlite_url, hall, clock=clock)
    reporter = HaochaReporter(services.db, services.halls, clock)
    try:
        with live_server(create_app(services, quick_settings(voice_dir=tmp_path))) as server:
            visits = RatedVisits(services, clock)
            first_rated = clock.now()
            visits.rate(Level.VERY_SATISFIED)
            visits.rate(Level.SATISFIED)
            lead = staff_login(services, Role.DUTY_LEAD, staff_no="2001", name="赵敏")
            base = f"{server.url}/api/v1/halls/test"
            token = device_token(services, DeviceKind.KIOSK, name="kiosk-1")
            with (
                httpx.Client(base_url=base, headers=lead.headers, timeout=30) as api,
                httpx.Client(base_url=base + "/devices/kiosk-1", headers=bearer(token)) as kiosk,
            ):
                waiting = api.get("/floor").json()["haocha"]
                assert waiting["enabled"] is True
                # Not collected yet (the worker's round is an hour away), yet pending.
                assert (waiting["pending"], waiting["reported_today"]) == (2, 0)
                assert waiting["records_today"] == 2
                assert waiting["oldest_pending"] is not None
                assert waiting["oldest_pending"] >= first_rated.isoformat()[:16]

                reporter.run_once()  # the platform is down
                down = api.get("/floor").json()["haocha"]
                assert down["pending"] == 2 and "no answer" in down["last_error"]

                with floor_page(Floor(server, services, lead, api, kiosk)) as page:
                    wait_until(page, "!document.getElementById('haocha-panel').hidden")
                    text = page.evaluate("document.getElementById('haocha').textContent")
                    assert "待上报 2 条" in text and "no answer" in text

                    clock.advance(timedelta(seconds=31))  # the first one's pause
                    with receiver:
                        assert reporter.run_once() == 2
                    done = api.get("/floor").json()["haocha"]
                    assert (done["reported_today"], done["pending"]) == (2, 0)
                    assert done["oldest_pending"] is None and done["last_error"] is None
                    page.evaluate("window.hallqFloor.refresh()")
                    wait_until(
                        page,
                        "document.getElementById('haocha').textContent.includes('今日已上报 2 条')",
                    )
                    assert "待上报 0 条" in page.evaluate(
                        "document.getElementById('haocha').textContent"
                    )
    finally:
        reporter.close()
        services.db.engine.dispose()
