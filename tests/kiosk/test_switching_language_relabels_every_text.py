"""A visitor taps English on a kiosk of the example hall: every text on the home screen and a
category's screen turns English, the pager (上一页 / 第 1/3 页 / 下一页) included, and counts read
as English does ("1 service", not "1 services"); tapping 中文 brings every text back. Found on
a real 80x24 terminal: the pager kept its Chinese until the visitor turned a page."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Static

from hallq_client import HallqClient
from kiosk.app import KioskApp
from kiosk.screens.home import CategoryScreen, HomeScreen, categories
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.config.loader import load_hall_config
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import FAST, kiosk_token_for, loaded, screen_text, tap, until
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer
from tests.support.tui import ManualTimer, piloted

pytestmark = pytest.mark.usefixtures("cjk_fonts")
EXAMPLE = Path(__file__).parents[2] / "queue_server" / "config" / "hall.example.toml"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, load_hall_config(EXAMPLE), clock=clock)
    yield built
    built.db.engine.dispose()


def chinese_left(app: KioskApp) -> list[str]:
    """Lines of the screen still in Chinese, but for the button that switches back to it."""
    toggle = str(app.screen.query_one("#lang", Button).label)
    return [
        line
        for line in screen_text(app).splitlines()
        if HAN.search(line) and line.strip() != toggle
    ]


def pager(app: KioskApp) -> tuple[str, str, str]:
    screen = app.screen
    return (
        str(screen.query_one("#page-prev", Button).label),
        str(screen.query_one("#page-of", Static).render()),
        str(screen.query_one("#page-next", Button).label),
    )


async def test_every_text_follows_the_language_at_80x24(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 26, 9, 45))
    printer = PrintWorker(DummyTransport({1: b"\x12", 2: b"\x12", 4: b"\x12"}), clock=clock.now)
    settings = dataclasses.replace(FAST, server=server.url, hall="demo", refresh_every=3600.0)
    client = HallqClient(server.url, "demo", token=kiosk_token_for(services, "demo"))
    app = KioskApp(settings, client, printer, clock=clock.now, monotonic=ManualTimer())
    try:
        async with piloted(app, (80, 24)) as pilot:
            await loaded(app, pilot)
            assert pager(app) == ("上一页", "第 1/3 页", "下一页")  # the example hall pages here

            await tap(pilot, "#lang")
            await until(pilot, lambda: app.lang == "en", what="English")
            await pilot.pause()
            assert pager(app) == ("Previous", "Page 1 of 3", "Next")
            assert chinese_left(app) == []
            assert "1 service" in screen_text(app) and "1 services" not in screen_text(app)

            grouped = categories(app.catalog) or []
            many = next(i for i, c in enumerate(grouped) if len(c.services) > 1)
            while not app.screen.query(f"#cat-{many}"):  # on a later page at 80x24
                await tap(pilot, "#page-next")
                await pilot.pause()
            assert pager(app)[0] == "Previous"  # a turned page keeps the language too
            await tap(pilot, f"#cat-{many}")
            await until(pilot, lambda: isinstance(app.screen, CategoryScreen), what="category")
            await pilot.pause()
            assert chinese_left(app) == []

            await tap(pilot, "#lang")
            await until(pilot, lambda: app.lang == "zh", what="Chinese")
            await pilot.pause()
            assert "Previous" not in screen_text(app) and "Next" not in screen_text(app)
            await tap(pilot, "#back")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
            await pilot.pause()
            assert pager(app)[0] == "上一页" and pager(app)[2] == "下一页"
    finally:
        await client.aclose()
        printer.close()
