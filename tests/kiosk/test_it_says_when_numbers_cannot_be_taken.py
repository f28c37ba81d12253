"""Closed, lunch break, past the cut-off, or today's numbers gone: said plainly, no ticket."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.taking import TakingScreen
from printers import PrintWorker
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import (
    kiosk_token_for,
    loaded,
    running_kiosk,
    screen_text,
    tap,
    tickets,
    until,
)
from tests.support.auth import duty_lead_headers
from tests.support.factories import local, make_services, small_hall
from tests.support.live_server import LiveServer, live_server

pytestmark = pytest.mark.usefixtures("cjk_fonts")


@pytest.mark.parametrize(
    ("at", "notice"),
    [
        (local(2026, 11, 25, 12, 30), "午间休息，下次办公时间：14:00"),
        (local(2026, 11, 25, 17, 45), "今日取号已截止"),
        (local(2026, 11, 28, 10, 0), "今日不办公，下次办公时间：11月30日（星期一）09:00"),
    ],
)
async def test_it_says_when_the_hall_is_not_issuing(
    at: object,
    notice: str,
    server: LiveServer,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
) -> None:
    clock.set(at)  # type: ignore[arg-type]
    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await pilot.pause(0.1)
        assert notice in screen_text(app)
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await pilot.pause(0.1)
        assert app.screen.query_one("#take").disabled
        assert "现在不能取号" in screen_text(app)


async def test_it_explains_a_refusal_and_issues_nothing(
    tmp_path: Path, printer: PrintWorker, clock: ManualClock
) -> None:
    capped: Services = make_services(
        f"sqlite:///{tmp_path}/cap.sqlite3", small_hall(daily_cap=1), clock=clock
    )
    with live_server(create_app(capped)) as server:
        first = httpx.post(
            f"{server.url}/api/v1/halls/test/tickets",
            json={"service": "SOC"},
            headers=duty_lead_headers(capped),
        )
        assert first.status_code == 201
        token = kiosk_token_for(capped)
        async with running_kiosk(server.url, printer, clock, token=token) as (app, pilot):
            await loaded(app, pilot)
            await tap(pilot, "#svc-SOC")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TakingScreen), what="taking")
            await until(pilot, lambda: "未能取号" in screen_text(app), what="the refusal")
            assert "今日号码已发完" in screen_text(app)
            await tap(pilot, "#taking-cancel")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
    assert len(tickets(capped)) == 1
    capped.db.engine.dispose()
