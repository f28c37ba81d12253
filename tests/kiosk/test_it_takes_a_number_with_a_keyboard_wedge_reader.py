"""刷身份证 on a keyboard-wedge reader (it types the ID number and Enter as a keyboard), on
any screen without a field being typed into: a tap checks in today's booking; without one,
the services with the green channel by age; a second tap shows the number taken. A burst
that does not check out says so and issues nothing; slow typing is a person, not a card.
Afterwards no full ID number is anywhere."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from kiosk.screens.guide import GuideScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.idcard import CardProblemScreen, CardServicesScreen, CardTakenScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest
from queue_server.storage.id_card_tables import IdCardTicket
from tests.bookings.helpers import booking_hall, id_number, person
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, tickets, until
from tests.kiosk.idcard_helpers import assert_nothing_personal
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")

ELDER = id_number(81, born="19490101")
BOOKED = id_number(82, born="19880101")
# Pilot's key presses are quick but not a reader's few milliseconds, and on a loaded CI
# machine one press can take most of a second: the burst limit is widened for the test.
WEDGE = {"wedge_max_gap": 1.5}


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, booking_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


async def wedge(pilot: Pilot[None], text: str, *, gap: float = 0.0) -> None:
    for key in text:
        await pilot.press(key)
        if gap:
            await asyncio.sleep(gap)
    await pilot.press("enter")


async def test_a_typed_card_checks_in_takes_a_number_and_shows_it_again(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    visitor = person(82, id_number=BOOKED)
    services.bookings.book("test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **visitor))
    clock.set(local(2026, 11, 26, 9, 45))
    shown: list[str] = []
    async with running_kiosk(server.url, printer, clock, token=kiosk_token, **WEDGE) as (
        app,
        pilot,
    ):
        await loaded(app, pilot)
        await wedge(pilot, BOOKED)
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="check-in")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
        await until(pilot, lambda: "预约 10:00" in screen_text(app), what="the notice")
        shown.append(screen_text(app))
        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")

        # From another screen (a service's guide), a tap of a 77-year-old without booking.
        await tap(pilot, "#svc-TAX")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        await wedge(pilot, ELDER)
        await until(pilot, lambda: isinstance(app.screen, CardServicesScreen), what="services")
        await until(pilot, lambda: "绿色通道" in screen_text(app), what="the tiles")
        text = screen_text(app)
        shown.append(text)
        assert "社保\n绿色通道" in text and "不动产\n绿色通道" not in text
        await tap(pilot, "#card-svc-TAX")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(transport.jobs) == 2, what="the second receipt")
        number = app.screen.ticket.number  # type: ignore[attr-defined]
        shown.append(screen_text(app))

        await wedge(pilot, ELDER)  # the second tap, over the ticket screen
        await until(pilot, lambda: isinstance(app.screen, CardTakenScreen), what="taken")
        await until(pilot, lambda: "您今天" in screen_text(app), what="the taken screen's text")
        shown.append(screen_text(app))
        assert number in shown[-1]
        await pilot.pause(0.3)
        assert len(transport.jobs) == 2

    issued = {t.number: t.priority for t in tickets(services)}
    assert issued[number] == "green" and sorted(issued.values()) == ["appointment", "green"]
    assert_nothing_personal(services, transport, printer, caplog, shown, [ELDER, BOOKED])


async def test_a_bad_burst_says_so_and_slow_typing_is_not_a_card(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    misread = ELDER[:-1] + ("1" if ELDER[-1] != "1" else "2")
    async with running_kiosk(server.url, printer, clock, token=kiosk_token, **WEDGE) as (
        app,
        pilot,
    ):
        await loaded(app, pilot)
        await wedge(pilot, misread)
        await until(pilot, lambda: isinstance(app.screen, CardProblemScreen), what="message")
        await until(pilot, lambda: "校验不通过" in screen_text(app), what="the message's text")
        text = screen_text(app)
        assert "未取号，也未签到" in text
        await tap(pilot, "#close")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")

        await wedge(pilot, ELDER[:6], gap=2.0)  # a person at a keyboard: nothing happens
        await pilot.pause(0.5)
        assert isinstance(app.screen, HomeScreen)

    assert tickets(services) == [] and transport.jobs == []
    with services.db.read() as session:
        assert list(session.scalars(select(IdCardTicket))) == []
    assert_nothing_personal(services, transport, printer, caplog, [text], [ELDER, misread])
