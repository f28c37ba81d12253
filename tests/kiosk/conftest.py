"""The kiosk against a real server on loopback, with an in-memory (recording) printer."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import select
from textual.pilot import Pilot

from hallq_client import HallqClient
from kiosk.app import KioskApp
from kiosk.settings import KioskSettings
from printers import FontNotFound, PrintWorker, default_fonts
from printers.transports import DummyTransport
from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind
from queue_server.domain.clock import ManualClock
from queue_server.storage.tables import Event, Ticket
from tests.conftest import need
from tests.support.auth import device_token
from tests.support.idcard_reader import PtyCardReader
from tests.support.tui import piloted
from tests.support.tui import until as wait_until

# DLE EOT 1 / 2 / 4 answers of a status-answering printer; {} = it never answers.
REPLIES: dict[str, dict[int, bytes]] = {
    "ok": {1: b"\x12", 2: b"\x12", 4: b"\x12"},
    "paper_low": {1: b"\x12", 2: b"\x12", 4: b"\x1e"},
    "paper_out": {1: b"\x1a", 2: b"\x32", 4: b"\x72"},
    "offline": {1: b"\x1a", 2: b"\x16", 4: b"\x12"},
    "silent": {},
}

FAST = KioskSettings(
    server="http://unset",
    hall="test",
    device="kiosk-unnamed",  # the token's name (kiosk-1) wins once the server answers
    public_url="https://hall.example.gov.cn",
    retry_every=0.1,
    refresh_every=30.0,
    printer_poll_every=30.0,
    heartbeat_every=60.0,
    tap_guard=0.0,
    voice=False,  # tests/kiosk/test_every_screen_speaks_its_prompt.py turns it on
)


@pytest.fixture(scope="session")
def cjk_fonts() -> None:
    """Receipts draw Chinese as an image: without a CJK font every job fails."""
    try:
        default_fonts()
    except FontNotFound as exc:
        need(False, f"no CJK font for receipts ({exc}); install fonts-noto-cjk")


@pytest.fixture
def sim() -> Iterator[PtyCardReader]:
    """A GA 467 ID card reader simulated on a pty (tests/support/idcard_reader.py)."""
    reader = PtyCardReader()
    yield reader
    reader.close()


@pytest.fixture
def transport() -> DummyTransport:
    return DummyTransport(REPLIES["ok"])


@pytest.fixture
def printer(transport: DummyTransport, clock: ManualClock) -> Iterator[PrintWorker]:
    worker = PrintWorker(transport, clock=clock.now, job_timeout=10.0, status_timeout=0.5)
    yield worker
    worker.close()


@pytest.fixture
def kiosk_token(services: Services) -> str:
    """The token of a kiosk named kiosk-1 in the test hall, made by the real services."""
    return kiosk_token_for(services)


def kiosk_token_for(services: Services, hall: str = "test") -> str:
    return device_token(services, DeviceKind.KIOSK, hall=hall, name="kiosk-1")


@asynccontextmanager
async def running_kiosk(
    url: str,
    printer: PrintWorker,
    clock: ManualClock,
    *,
    token: str | None,
    size: tuple[int, int] = (100, 32),
    monotonic: Callable[[], float] = time.monotonic,
    **changes: Any,
) -> AsyncIterator[tuple[KioskApp, Pilot[None]]]:
    """`monotonic`: what idle screens count in (a tests.support.tui.ManualTimer to steer)."""
    settings = dataclasses.replace(FAST, server=url, **changes)
    client = HallqClient(url, settings.hall, token=token)
    app = KioskApp(settings, client, printer, clock=clock.now, monotonic=monotonic)
    try:
        async with piloted(app, size) as pilot:
            yield app, pilot
    finally:
        await client.aclose()


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10.0, what: str = ""
) -> None:
    await wait_until(pilot, condition, what, timeout)


async def tap(pilot: Pilot[None], selector: str, *, times: int = 1) -> None:
    """Click a widget once it is laid out: a click on a screen still mounting is lost."""
    app = pilot.app

    def ready() -> bool:
        found = app.screen.query(selector)
        return bool(found) and found.first().region.area > 0

    await until(pilot, ready, what=f"{selector} on screen")
    await pilot.click(selector, times=times)


async def loaded(app: KioskApp, pilot: Pilot[None]) -> None:
    await until(pilot, lambda: bool(app.catalog) and app.online is True, what="the catalog")
    await pilot.pause()


def tickets(services: Services) -> list[Ticket]:
    with services.db.read() as session:
        return list(session.scalars(select(Ticket).order_by(Ticket.issued_at)))


def events(services: Services, kind: str) -> list[Event]:
    with services.db.read() as session:
        return list(session.scalars(select(Event).where(Event.kind == kind).order_by(Event.seq)))


def screen_text(app: KioskApp) -> str:
    """Everything the visitor can read on the current screen, as plain text."""
    from textual.widgets import Button, Static

    parts: list[str] = []
    for widget in app.screen.query("*"):
        if not widget.display:
            continue
        if isinstance(widget, Button):
            parts.append(str(widget.label))
        elif isinstance(widget, Static):
            parts.append(str(widget.render()))
    return "\n".join(parts)


async def in_thread(fn: Callable[[], Any]) -> Any:
    return await asyncio.to_thread(fn)
