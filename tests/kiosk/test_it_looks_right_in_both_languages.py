"""Snapshots of the key screens in Chinese and English (fixed clock, fixed ticket ids)."""

from __future__ import annotations

import dataclasses
import itertools
import uuid
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from textual.pilot import Pilot

from hallq_client import HallqClient
from kiosk.app import KioskApp
from kiosk.screens.guide import GuideScreen
from kiosk.screens.ticket import TicketScreen
from printers import PrintWorker, TransportError
from printers.transports import DummyTransport
from queue_server.domain.clock import ManualClock
from queue_server.services import issuing
from tests.kiosk.conftest import FAST, loaded, tap, until
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.usefixtures("cjk_fonts")

SIZE = (100, 32)
SCREENS = ["home", "guide", "ticket", "print_failed"]


@pytest.fixture(autouse=True)
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ticket ids end up in the on-screen QR code; make them the same on every run.

    Only the issuing service's ids are fixed: the server's background work (the floor's
    alert watch) draws ids of its own at times a snapshot cannot predict."""
    counter = itertools.count(1)
    fixed = SimpleNamespace(uuid4=lambda: uuid.UUID(int=next(counter)))
    monkeypatch.setattr(issuing, "uuid", fixed)


def _run_to(screen: str) -> Callable[[Pilot[None]], Any]:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, KioskApp)
        await loaded(app, pilot)
        await until(pilot, lambda: app.printer_state == "ok", what="printer status")
        if screen == "home":
            return
        await tap(pilot, "#svc-SOC")
        await until(pilot, lambda: isinstance(app.screen, GuideScreen), what="the guide")
        if screen == "guide":
            return
        await tap(pilot, "#take-green")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen), what="the ticket")
        ticket = app.screen
        assert isinstance(ticket, TicketScreen)
        await until(pilot, lambda: ticket.print_state != "printing", what="the print job")
        await pilot.pause(0.1)

    return run_before


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", SCREENS)
def test_it_looks_right_in_both_languages(
    screen: str,
    lang: str,
    server: LiveServer,
    clock: ManualClock,
    kiosk_token: str,
    snap_compare: Callable[..., bool],
) -> None:
    transport = DummyTransport()
    if screen == "print_failed":
        transport.fail_with = TransportError("paper jam")
    printer = PrintWorker(transport, clock=clock.now, job_timeout=10.0)
    settings = dataclasses.replace(FAST, server=server.url, lang=lang)  # type: ignore[arg-type]
    app = KioskApp(
        settings, HallqClient(server.url, "test", token=kiosk_token), printer, clock=clock.now
    )
    try:
        assert snap_compare(app, terminal_size=SIZE, run_before=_run_to(screen))
    finally:
        printer.close()
