"""Visitors called today are measured against the estimate they were given: the floor
monitor shows coverage, error and width per service (API and tablet), and the month's bulletin
has the table 等候时间预估准确度."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx

from queue_server.api.app import create_app
from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.reports.bulletin import month_bulletin
from queue_server.services.event_log import Actor
from queue_server.services.floor_actions import FloorActions
from queue_server.services.issuing import IssueRequest
from queue_server.services.reports import ReportService
from tests.floor.conftest import Floor, floor_hall, floor_page, wait_until
from tests.live.helpers import quick_settings
from tests.support.auth import bearer, clerk_at, device_token, staff_login
from tests.support.factories import make_services
from tests.support.live_server import live_server


def test_accuracy_on_the_floor_and_in_the_bulletin(
    sqlite_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    services = make_services(sqlite_url, floor_hall(), clock=clock)
    try:
        lead = staff_login(services, Role.DUTY_LEAD, staff_no="2001", name="赵敏")
        actions = FloorActions(services.db, services.halls, clock)
        actions.close_window("test", 1, None, Actor(clerk=lead.user_id))
        clerk = Actor(clerk=clerk_at(services, 2).user_id)  # TAX only, default 10 minutes
        queue = services.queue
        first = queue.issue("test", IssueRequest("TAX")).ticket  # about 1 minute
        second = queue.issue("test", IssueRequest("TAX")).ticket  # one ahead: a range
        assert second.estimated_wait is not None
        low, high = second.estimated_wait.low_minutes, second.estimated_wait.high_minutes
        assert low is not None and high is not None
        clock.advance(timedelta(seconds=50))
        assert queue.call_next("test", 2, clerk).id == first.id  # type: ignore[union-attr]
        queue.start("test", 2, first.id, clerk)
        clock.advance(timedelta(minutes=high + 5))  # the second waits past its range
        queue.finish("test", 2, first.id, CaseType.IMMEDIATE, actor=clerk)
        assert queue.call_next("test", 2, clerk).id == second.id  # type: ignore[union-attr]

        with live_server(create_app(services, quick_settings(voice_dir=tmp_path))) as server:
            base = f"{server.url}/api/v1/halls/test"
            token = device_token(services, DeviceKind.KIOSK, name="kiosk-1")
            with (
                httpx.Client(base_url=base, headers=lead.headers, timeout=30) as api,
                httpx.Client(base_url=base + "/devices/kiosk-1", headers=bearer(token)) as kiosk,
            ):
                [tax] = api.get("/floor").json()["estimates"]
                assert (tax["service"], tax["called"], tax["coverage"]) == ("TAX", 2, 0.5)
                assert tax["median_width_minutes"] == (1 + high - low) / 2  # 0-1 and the range
                with floor_page(Floor(server, services, lead, api, kiosk)) as page:
                    wait_until(page, "!document.getElementById('estimates-panel').hidden")
                    row = page.evaluate(
                        "document.querySelector('#estimates-table tr[data-service=\"TAX\"]')"
                        ".textContent"
                    )
                    assert "50%" in row and "税务" in row

        month = f"{services.halls.get('test').calendar.business_day(clock.now()):%Y-%m}"
        measures = ReportService(services.db, services.halls, clock).month_measures("test", month)
        [tax_month, everything] = measures.estimates
        assert (tax_month.service, tax_month.called, tax_month.coverage) == ("TAX", 2, 0.5)
        assert everything.service == "" and everything.called == 2
        table = next(
            t for t in month_bulletin(measures, clock.now()).tables if t.key == "estimates"
        )
        assert table.zh == "等候时间预估准确度"
        assert table.rows[0][:4] == ("TAX", "税务", 2, 0.5)
    finally:
        services.db.engine.dispose()
