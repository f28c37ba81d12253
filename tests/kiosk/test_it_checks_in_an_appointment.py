"""预约签到 at the kiosk against a real server: on time, a priority ticket and its receipt,
called before a walk-in who came earlier; too early, when to come back, or a normal number
now. The visitor's name, phone and ID number never appear in full on screen, on the receipt
or in the logs."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from textual.widgets import Input

from kiosk.app import KioskApp
from kiosk.screens.checkin import CheckInScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker, Receipt
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.bookings import BookingRequest
from queue_server.services.tickets import IssueRequest
from queue_server.storage.tables import Ticket
from tests.bookings.helpers import booking_hall, person
from tests.kiosk.conftest import loaded, running_kiosk, screen_text, tap, until
from tests.support.auth import clerk_at
from tests.support.factories import local, make_services
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")

ON_TIME = person(21, name="张三丰", phone="13812345678")
EARLY = person(22, name="李小龙", phone="13987654321")
FULL = [v for p in (ON_TIME, EARLY) for v in (p["name"], p["phone"], p["id_number"])]


@pytest.fixture
def services(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, booking_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def receipt_text(receipt: Receipt) -> str:
    return " ".join(str(v) for v in dataclasses.asdict(receipt).values())


async def enter(app: KioskApp, pilot, **fields: str) -> None:  # type: ignore[no-untyped-def]
    await tap(pilot, "#checkin")
    await until(pilot, lambda: isinstance(app.screen, CheckInScreen), what="check-in")
    for name, value in fields.items():
        app.screen.query_one(f"#checkin-{name}", Input).value = value
    await tap(pilot, "#checkin-go")


async def test_on_time_gives_a_priority_ticket_and_too_early_says_when(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    on_time = services.bookings.book(
        "test", BookingRequest("SOC", local(2026, 11, 26, 10, 0), **ON_TIME)
    )
    services.bookings.book("test", BookingRequest("SOC", local(2026, 11, 26, 14, 0), **EARLY))
    clock.set(local(2026, 11, 26, 9, 40))
    walk_in = services.queue.issue("test", IssueRequest("SOC")).ticket
    clock.set(local(2026, 11, 26, 9, 45))
    shown: list[str] = []

    async with running_kiosk(server.url, printer, clock, token=kiosk_token) as (app, pilot):
        await loaded(app, pilot)
        await until(pilot, lambda: app.appointments, what="the check-in button")
        await enter(app, pilot, code=on_time.code.lower())
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        await until(pilot, lambda: len(transport.jobs) == 1, what="the receipt")
        text = screen_text(app)
        shown.append(text)
        assert "预约" in text and "预约 10:00-11:00：按预约时间优先叫号" in text
        receipt = printer.last_document()
        assert isinstance(receipt, Receipt)
        assert receipt.kind_label == "预约"
        assert "10:00-11:00" in receipt.notice
        number = receipt.number

        await tap(pilot, "#done")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), what="home")
        # By ID number, typed into a masked field: too early for the 14:00 slot.
        await enter(app, pilot, id=EARLY["id_number"])
        await until(pilot, lambda: "太早" in screen_text(app), what="too early")
        text = screen_text(app)
        shown.append(text)
        assert "李*龙" in text and "14:00-15:00" in text
        assert "请于 14:00 后再来签到" in text  # the window opens in the lunch break
        assert len(transport.jobs) == 1  # nothing printed without a ticket

        await tap(pilot, "#take-normal")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="normal ticket")
        await until(pilot, lambda: len(transport.jobs) == 2, what="the second receipt")
        text = screen_text(app)
        shown.append(text)
        assert "提前到达，按普通号排队" in text
        second = printer.last_document()
        assert isinstance(second, Receipt)
        assert second.kind_label is None and "普通号" in second.notice

    with services.db.read() as session:
        tickets = {t.number: t.priority for t in session.scalars(select(Ticket))}
    assert tickets == {walk_in.number: "normal", number: "appointment", second.number: "normal"}
    # Called with priority: the booked 10:00 goes before the walk-in who came at 09:40.
    clerk_at(services, 1)
    called = services.queue.call_next("test", 1)
    assert called is not None and called.number == number
    logged = "\n".join(r.getMessage() for r in caplog.records)
    everywhere = [*shown, receipt_text(receipt), receipt_text(second), logged]
    for value in FULL:
        assert not any(value in place for place in everywhere), value
