"""A visitor taps 取号, the server makes the ticket, the answer is slow to come back and the
visitor presses 取消 and walks away. The kiosk goes back at once and gives that request's
key up in the background: the waiting ticket is cancelled with its own reason (or, if the
request never reached the server, the key is burnt once the kiosk reaches it again), the
answer arriving after the cancel shows and prints nothing, the next tap gets a new number,
and the window calls that one, never the ghost. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from kiosk.app import KioskApp
from kiosk.screens.guide import GuideScreen
from kiosk.screens.taking import TakingScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.kiosk.conftest import events, loaded, running_kiosk, tap, tickets, until
from tests.support.api import Api
from tests.support.auth import clerk_at
from tests.support.cut_proxy import CutProxy
from tests.support.factories import make_services, small_hall
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")

REASON = "abandoned: visitor cancelled while the kiosk was asking"


@pytest.fixture
def services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    """The kiosk tests' hall, on both engines (the server behind the proxy uses it)."""
    built = make_services(database_url, small_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def calls_at_window_1(server: LiveServer, services: Services) -> list[str]:
    """A clerk signed in at window 1 calls until nobody waits: the numbers called."""
    clerk = Api(server.url, headers=clerk_at(services, 1).headers)
    called: list[str] = []
    try:
        while (response := clerk.call_next(1)).status_code == 200:
            called.append(response.json()["number"])
            ticket = response.json()["id"]
            assert clerk.act(1, ticket, "start").status_code == 200
            finish = clerk.act(1, ticket, "finish", {"case_type": "immediate"})
            assert finish.status_code == 200, finish.text
        assert response.status_code == 204, response.text
    finally:
        clerk.http.close()
    return called


async def take_again(app: KioskApp, pilot: Pilot[None], transport: DummyTransport) -> str:
    """The next tap on the same guide: a ticket shown and printed; its number."""
    await tap(pilot, "#take")
    await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the new ticket")
    await until(pilot, lambda: len(transport.jobs) == 1, what="its receipt")
    screen = app.screen
    assert isinstance(screen, TicketScreen) and not screen.ticket.offline
    return screen.ticket.number


async def test_a_ticket_made_while_the_visitor_cancelled_is_given_up(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    tmp_path: Path,
) -> None:
    proxy = CutProxy(server.port)
    try:
        async with running_kiosk(
            proxy.url,
            printer,
            clock,
            token=kiosk_token,
            offline_journal=str(tmp_path / "journal.sqlite"),
            offline_patience=60.0,  # the visitor cancels long before the kiosk gives up
        ) as (app, pilot):
            await loaded(app, pilot)
            issuer = app.offline_issuer
            assert issuer is not None
            await tap(pilot, "#svc-SOC")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")

            proxy.hold_next_answer(b"/tickets")
            await tap(pilot, "#take")
            await until(pilot, proxy.holding.is_set, what="the server's answer, held")
            [ghost] = tickets(services)  # the server has made it; the kiosk still asks
            assert ghost.state == "waiting" and isinstance(app.screen, TakingScreen)

            await tap(pilot, "#taking-cancel")
            proxy.release()  # the answer comes after the cancel
            # back at the guide within a second, not at a ticket the answer would have shown
            await until(
                pilot, lambda: isinstance(app.screen, GuideScreen), what="back", timeout=1.0
            )

            def given_up() -> bool:
                return any(row.state == "cancelled" for row in tickets(services))

            await until(pilot, given_up, what="the ticket given up")
            [entry] = issuer.book.unanswered()
            assert (entry["reason"], entry["outcome"], entry["number"]) == (
                "visitor_cancelled",
                "cancelled",
                ghost.number,
            )
            await pilot.pause(0.3)  # whatever the late answer would do, it has done
            assert transport.jobs == []  # nothing printed for the ghost...
            assert isinstance(app.screen, GuideScreen)  # ...nor shown

            number = await take_again(app, pilot, transport)
            assert number != ghost.number
    finally:
        proxy.close()

    cancelled = [e.payload for e in events(services, "ticket.cancelled")]
    assert cancelled == [{"number": ghost.number, "reason": REASON}]
    assert calls_at_window_1(server, services) == [number]  # someone else, never the ghost
    called = {e.ticket_id for e in events(services, "ticket.called")}
    assert ghost.id not in called


async def test_a_request_cancelled_while_cut_off_is_burnt_once_back(
    server: LiveServer,
    services: Services,
    printer: PrintWorker,
    transport: DummyTransport,
    clock: ManualClock,
    kiosk_token: str,
    tmp_path: Path,
) -> None:
    proxy = CutProxy(server.port)
    try:
        async with running_kiosk(
            proxy.url,
            printer,
            clock,
            token=kiosk_token,
            offline_journal=str(tmp_path / "journal.sqlite"),
            offline_patience=60.0,
        ) as (app, pilot):
            await loaded(app, pilot)
            issuer = app.offline_issuer
            assert issuer is not None
            await tap(pilot, "#svc-SOC")
            await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")

            proxy.set_mode("drop")  # a dead switch: the request hangs, nothing arrives
            await tap(pilot, "#take")
            await until(pilot, lambda: isinstance(app.screen, TakingScreen), what="asking")
            assert issuer.book.to_abandon() == []  # still asking: nothing given up yet
            await tap(pilot, "#taking-cancel")
            # Back while still cut off, well before a hanging attempt times out after 5 s
            # (hallq_client's read timeout), so waiting on the network could not pass. (This
            # failed now and then, at 1 s and at 3 s alike: the first attempt's quick failure
            # turned the text to "retrying", the dialog grew a line and the tap hit the place
            # the button had left. The dialog keeps its height now:
            # test_the_asking_dialog_s_buttons_stay_put.py.)
            await until(
                pilot, lambda: isinstance(app.screen, GuideScreen), what="back", timeout=3.0
            )
            [(key, reason)] = issuer.book.to_abandon()
            assert reason == "visitor_cancelled"

            proxy.set_mode("pass")
            await until(
                pilot, lambda: not issuer.book.to_abandon(), what="the key given up once back"
            )
            assert issuer.book.unanswered()[0]["outcome"] == "not_issued"
            late = Api(server.url, headers={"Authorization": f"Bearer {kiosk_token}"})
            try:
                assert late.issue(key=key).status_code == 409  # a late arrival issues nothing
            finally:
                late.http.close()

            number = await take_again(app, pilot, transport)
    finally:
        proxy.close()

    assert [t.number for t in tickets(services)] == [number]
    assert calls_at_window_1(server, services) == [number]
