"""A hall with many services shows its departments first; one tap more to the service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import CategoryScreen, CategoryTile, HomeScreen
from printers import PrintWorker
from queue_server.api.app import create_app
from queue_server.demo import demo_hall_config
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import kiosk_token_for, loaded, running_kiosk, screen_text, tap, until
from tests.support.factories import make_services
from tests.support.live_server import LiveServer, live_server

pytestmark = pytest.mark.usefixtures("cjk_fonts")


@pytest.fixture
def demo(tmp_path: Path, clock: ManualClock) -> Iterator[tuple[LiveServer, str]]:
    services = make_services(f"sqlite:///{tmp_path}/demo.sqlite3", demo_hall_config(), clock=clock)
    with live_server(create_app(services)) as server:
        yield server, kiosk_token_for(services, "demo")
    services.db.engine.dispose()


async def test_it_groups_many_services_by_category(
    demo: tuple[LiveServer, str], printer: PrintWorker, clock: ManualClock
) -> None:
    server, token = demo
    async with running_kiosk(server.url, printer, clock, token=token, hall="demo") as (
        app,
        pilot,
    ):
        await loaded(app, pilot)
        tiles = list(app.screen.query(CategoryTile))
        assert len(tiles) < len(app.catalog)
        single = next(t for t in tiles if len(t.category.services) == 1)
        for _ in range(len(app.catalog)):  # whole tiles in pages (the elder look: fewer)
            if any(t.category.title("zh") == "公安" for t in app.screen.query(CategoryTile)):
                break
            await tap(pilot, "#page-next")
            await pilot.pause(0.2)
        police = next(t for t in app.screen.query(CategoryTile) if t.category.title("zh") == "公安")
        assert [s.code for s in police.category.services] == ["HUK", "VEH"]

        await tap(pilot, f"#{police.id}")
        await until(pilot, lambda: isinstance(app.screen, CategoryScreen), what="the category")
        await pilot.pause(0.1)
        assert "户籍" in screen_text(app)
        await tap(pilot, "#svc-VEH")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await tap(pilot, "#back")
        await until(pilot, lambda: isinstance(app.screen, CategoryScreen), what="back")
        await tap(pilot, "#back")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")

        for _ in range(len(app.catalog)):
            if app.screen.query(f"#{single.id}"):
                break
            await tap(pilot, "#page-prev")
            await pilot.pause(0.2)
        await tap(pilot, f"#{single.id}")  # a department with one service: straight to it
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="its guide")
