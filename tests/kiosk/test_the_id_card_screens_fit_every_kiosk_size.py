"""The screens of a card tap at every kiosk size of docs/devices.md, with the example hall,
in Chinese and English, elder look: every button reachable, no text cut. The services
offered to a card holder, the number already taken, today's booking too early, a fault."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.widget import Widget

from hallq.devices.idcard.reader import CardError
from hallq_client import HallqClient
from kiosk.app import KioskApp
from kiosk.screens.idcard import (
    CardEarlyScreen,
    CardProblemScreen,
    CardServicesScreen,
    CardTakenScreen,
)
from kiosk.texts import Lang
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.config.loader import load_hall_config
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest
from tests.bookings.helpers import id_number, person
from tests.kiosk.conftest import FAST, kiosk_token_for, loaded, tap, until
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer
from tests.support.screen_geometry import (
    DEVICE_SIZES,
    cut_labels,
    fully_visible,
    interactive,
    truncation,
)
from tests.support.tui import piloted

pytestmark = pytest.mark.usefixtures("cjk_fonts")
EXAMPLE = Path(__file__).parents[2] / "queue_server" / "config" / "hall.example.toml"
ELDER = id_number(91, born="19480101")
BOOKED = id_number(92, born="19800101")


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, load_hall_config(EXAMPLE), clock=clock)
    yield built
    built.db.engine.dispose()


async def reachable(pilot: Pilot[None], widget: Widget) -> bool:
    if fully_visible(widget):
        return True
    area = next((a for a in widget.ancestors if isinstance(a, ScrollableContainer)), None)
    if area is None:
        return False
    area.scroll_to_center(widget, animate=False, immediate=True)
    await pilot.pause(0.05)
    return fully_visible(widget)


async def check_every_size(pilot: Pilot[None], name: str, found: list[str]) -> None:
    app = pilot.app
    for size in DEVICE_SIZES["kiosk"]:
        await pilot.resize_terminal(*size)
        await pilot.pause(0.3)
        screen = app.screen
        for widget in list(interactive(screen)):
            if not await reachable(pilot, widget):
                found.append(f"{name} {size}: {widget!r} not on screen ({widget.region})")
            elif (cut := truncation(widget)) is not None:
                found.append(f"{name} {size}: {widget!r}: {cut}")
        found += [f"{name} {size}: {problem}" for problem in cut_labels(screen)]
    await pilot.resize_terminal(*DEVICE_SIZES["kiosk"][0])
    await pilot.pause(0.3)


async def typed(pilot: Pilot[None], number: str) -> None:
    await pilot.press(*number, "enter")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_card_screens_fit(
    lang: Lang, server: LiveServer, services: Services, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 26, 9, 0))
    services.bookings.book(
        "demo", BookingRequest("SOC", local(2026, 11, 26, 14, 0), **person(92, id_number=BOOKED))
    )
    transport = DummyTransport({1: b"\x12", 2: b"\x12", 4: b"\x12"})
    printer = PrintWorker(transport, clock=clock.now, job_timeout=10.0, status_timeout=0.5)
    settings = dataclasses.replace(
        FAST, server=server.url, hall="demo", lang=lang, wedge_max_gap=0.5
    )
    client = HallqClient(server.url, "demo", token=kiosk_token_for(services, "demo"))
    app = KioskApp(settings, client, printer, clock=clock.now)
    found: list[str] = []
    try:
        async with piloted(app, DEVICE_SIZES["kiosk"][0]) as pilot:
            await loaded(app, pilot)
            await typed(pilot, ELDER)
            await until(pilot, lambda: isinstance(app.screen, CardServicesScreen), what="offers")
            await pilot.pause(0.3)
            await check_every_size(pilot, "card services", found)
            await tap(pilot, "#card-svc-SOC")
            await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
            await typed(pilot, ELDER)
            await until(pilot, lambda: isinstance(app.screen, CardTakenScreen), what="taken")
            await pilot.pause(0.3)
            await check_every_size(pilot, "card taken", found)

            await typed(pilot, BOOKED)
            await until(pilot, lambda: isinstance(app.screen, CardEarlyScreen), what="early")
            await pilot.pause(0.3)
            await check_every_size(pilot, "card early", found)

            app.push_screen(CardProblemScreen(CardError("removed", "test")))
            await until(pilot, lambda: isinstance(app.screen, CardProblemScreen), what="fault")
            await pilot.pause(0.3)
            await check_every_size(pilot, "card problem", found)
    finally:
        printer.close()
    assert found == []
