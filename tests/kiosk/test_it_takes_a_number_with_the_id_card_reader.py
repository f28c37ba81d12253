"""刷身份证 on a GA 467 serial reader (a simulator on a pty) against a real server: a tap
checks in today's booking; without one, the services are offered with the green channel by
age and the number is printed; a second tap shows the number already taken and prints
nothing; a card moved away, a bad checksum, a stalled or a silent reader each put a message on
screen and issue nothing. Afterwards no full ID number or name is anywhere."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select

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
from tests.support.idcard_reader import Card, PtyCardReader
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")

ELDER = Card(id_number(71, born="19500307"), name="王老汉")
BOOKED = Card(id_number(72, born="19880101"), name="李小龙")
SECRETS = [ELDER.id_number, ELDER.name, BOOKED.id_number, BOOKED.name, "景山前街"]


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, booking_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def reading(sim: PtyCardReader) -> dict[str, object]:
    return {"id_reader": sim.device, "id_reader_timeout": 0.3, "id_reader_poll_every": 0.05}


async def test_a_tap_checks_in_or_takes_a_number_and_a_second_tap_shows_it(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    sim: PtyCardReader,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    visitor = person(72, name=BOOKED.name, id_number=BOOKED.id_number)
    services.bookings.book("test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **visitor))
    clock.set(local(2026, 11, 26, 9, 45))
    shown: list[str] = []

    async with running_kiosk(server.url, printer, clock, token=kiosk_token, **reading(sim)) as (
        app,
        pilot,
    ):
        await loaded(app, pilot)
        # Today's booking: checked in by the tap, the appointment's receipt printed.
        sim.place(BOOKED)
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="check-in")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
        shown.append(screen_text(app))
        assert "预约 10:00-11:00：按预约时间优先叫号" in shown[-1]
        sim.lift()
        await tap(pilot, "#done")

        # No booking, 76 years old: the services, green where the service has it.
        sim.place(ELDER)
        await until(pilot, lambda: isinstance(app.screen, CardServicesScreen), what="services")
        await until(pilot, lambda: "绿色通道" in screen_text(app), what="the tiles")
        text = screen_text(app)
        shown.append(text)
        assert f"身份证 {ELDER.id_number[:4]}**********{ELDER.id_number[-4:]}" in text
        assert "您符合年龄优先条件" in text
        assert "社保\n绿色通道" in text and "税务\n绿色通道" in text
        assert "不动产\n绿色通道" not in text  # RES has no green channel
        await tap(pilot, "#card-svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(transport.jobs) == 2, what="the second receipt")
        shown.append(screen_text(app))
        number = app.screen.ticket.number  # type: ignore[attr-defined]

        # The second tap: the same number and its state, nothing issued or printed.
        sim.lift()
        await pilot.pause(0.2)
        sim.place(ELDER)
        await until(pilot, lambda: isinstance(app.screen, CardTakenScreen), what="taken")
        await until(pilot, lambda: "您今天" in screen_text(app), what="the taken screen's text")
        shown.append(screen_text(app))
        assert "您今天已经用身份证取过号" in shown[-1] and number in shown[-1]
        assert "本次不打印小票" in shown[-1]
        await pilot.pause(0.3)
        assert len(transport.jobs) == 2

    issued = {t.number: t.priority for t in tickets(services)}
    assert issued[number] == "green" and sorted(issued.values()) == ["appointment", "green"]
    assert_nothing_personal(services, transport, printer, caplog, shown, SECRETS)


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ("removed", "读卡时身份证被移开了"),
        ("checksum", "读卡数据有误"),
        ("stalls", "身份证阅读器没有响应"),
        ("silent", "身份证阅读器没有响应"),
    ],
)
async def test_a_fault_says_so_and_issues_nothing(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    sim: PtyCardReader,
    caplog: pytest.LogCaptureFixture,
    fault: str,
    says: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running_kiosk(server.url, printer, clock, token=kiosk_token, **reading(sim)) as (
        app,
        pilot,
    ):
        await loaded(app, pilot)
        if fault == "silent":
            sim.go_silent()
        else:
            sim.place(ELDER, fault)  # type: ignore[arg-type]
        await until(pilot, lambda: isinstance(app.screen, CardProblemScreen), what="message")
        await until(pilot, lambda: says in screen_text(app), what="the message's text")
        text = screen_text(app)
        assert "未能读取身份证" in text and says in text and "未取号，也未签到" in text
        await pilot.pause(0.5)  # a silent reader keeps polling: still one message
        assert isinstance(app.screen, CardProblemScreen)
        await tap(pilot, "#close")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, CardProblemScreen)
    assert tickets(services) == [] and transport.jobs == []
    with services.db.read() as session:
        assert list(session.scalars(select(IdCardTicket))) == []
    assert_nothing_personal(services, transport, printer, caplog, [text], SECRETS)


async def test_a_newer_fault_replaces_the_one_on_screen(
    server: LiveServer,
    printer: PrintWorker,
    clock: ManualClock,
    kiosk_token: str,
    sim: PtyCardReader,
) -> None:
    async with running_kiosk(server.url, printer, clock, token=kiosk_token, **reading(sim)) as (
        app,
        pilot,
    ):
        await loaded(app, pilot)
        sim.go_silent()
        await until(pilot, lambda: "身份证阅读器没有响应" in screen_text(app), what="no answer")
        problem = app.screen
        assert isinstance(problem, CardProblemScreen)

        sim.place(ELDER, "checksum")  # the reader is back, and the card reads badly
        await until(pilot, lambda: "读卡数据有误" in screen_text(app), what="the newer fault")
        assert app.screen is problem and "没有响应" not in screen_text(app)
