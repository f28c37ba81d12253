"""From the visitor's tap on 取号 to the receipt's ESC/POS bytes being ready.

Split into the API call (the kiosk's take_number: HTTP, idempotency key, strict parsing),
layout (Receipt from the answer, then blocks), rendering (CJK text and QR code to a 1-bit
raster) and ESC/POS encoding; beside the bare API call (HallqClient.issue_ticket alone) made
in the same run against the same server, interleaved so both see the same conditions.
Then the whole path through the real Textual app (Button.press -> bytes at the printer).

    .venv/bin/python -m bench.bench_kiosk_receipt [--taps 200] [--app-taps 30] [--width 80]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.bench_queue_api import start_server
from hallq_client import HallqClient
from kiosk.model import HallInfo, ServiceInfo
from kiosk.receipts import receipt_for
from kiosk.taking import TakeIntent, take_number
from printers import default_fonts, escpos_bytes
from printers.blocks import paper_for
from printers.layout import layout
from printers.raster import rasterize

SERVICE = "ASK"  # no daily cap in the bench hall
APP_ROW = "tap -> bytes at the printer (whole Textual app)"


@dataclass
class Timings:
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, name: str, seconds: float) -> None:
        self.samples.setdefault(name, []).append(seconds * 1000)

    def row(self, name: str) -> str:
        values = sorted(self.samples[name])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        return (
            f"| {name} | {statistics.median(values):.1f} ms | {p95:.1f} ms | "
            f"{statistics.fmean(values):.1f} ms |"
        )


def timed(timings: Timings, name: str, fn: Callable[[], object]) -> object:
    started = time.perf_counter()
    value = fn()
    timings.add(name, time.perf_counter() - started)
    return value


def kiosk_token(database_url: str) -> str:
    """A kiosk token in the bench server's database (the server made the schema)."""
    from queue_server.domain.access import DeviceKind
    from queue_server.domain.clock import SystemClock
    from queue_server.services.database import Database
    from queue_server.services.device_tokens import DeviceTokens
    from queue_server.storage.engine import make_engine

    engine = make_engine(database_url)
    try:
        tokens = DeviceTokens(Database(engine), SystemClock())
        return tokens.add("demo", DeviceKind.KIOSK, name="bench-kiosk").token
    finally:
        engine.dispose()


async def split_path(url: str, token: str, taps: int, width: int) -> Timings:
    fonts = default_fonts()
    paper = paper_for(width)
    timings = Timings()
    async with HallqClient(url, "demo", token=token) as client:
        halls = await client.halls()
        hall = HallInfo.of(next(h for h in halls if h["id"] == "demo"))
        service = next(ServiceInfo.of(s) for s in await client.services() if s["code"] == SERVICE)
        for n in range(taps + 3):  # the first three warm up fonts and connections
            warm = n >= 3
            started = time.perf_counter()
            await client.issue_ticket(SERVICE, idempotency_key=uuid.uuid4().hex)
            bare = time.perf_counter() - started

            tap = time.perf_counter()
            ticket = await take_number(client, TakeIntent(SERVICE), retry_every=1.0)
            api = time.perf_counter() - tap
            step = Timings()
            receipt = timed(
                step,
                "layout",
                lambda t=ticket: receipt_for(t, service, hall, lang="zh", public_url=url),
            )
            blocks = timed(step, "layout", lambda r=receipt: layout(r))  # type: ignore[arg-type]
            rendered = timed(
                step,
                "rendering",
                lambda b=blocks: rasterize(b, paper, fonts, title="x"),  # type: ignore[arg-type]
            )
            data = timed(step, "ESC/POS bytes", lambda r=rendered: escpos_bytes(r))  # type: ignore[arg-type]
            total = time.perf_counter() - tap
            assert isinstance(data, bytes) and len(data) > 1000
            if warm:
                timings.add("bare API call (issue_ticket)", bare)
                timings.add("API call (take_number)", api)
                timings.add("layout", sum(step.samples["layout"]) / 1000)
                timings.add("rendering", step.samples["rendering"][0] / 1000)
                timings.add("ESC/POS bytes", step.samples["ESC/POS bytes"][0] / 1000)
                timings.add("tap -> bytes (sum)", total)
    return timings


async def through_the_app(url: str, token: str, taps: int, width: int) -> Timings:
    """The real kiosk app under Pilot, with an in-memory printer that keeps the bytes."""
    from textual.widgets import Button

    from kiosk.app import KioskApp, system_clock
    from kiosk.screens.guide import GuideScreen
    from kiosk.screens.ticket import TicketScreen
    from kiosk.settings import KioskSettings
    from printers import PrintWorker
    from printers.transports import DummyTransport

    timings = Timings()
    transport = DummyTransport()
    printer = PrintWorker(transport, clock=system_clock, width_mm=width)
    settings = KioskSettings(server=url, hall="demo", tap_guard=0.0, retry_every=0.2)
    app = KioskApp(settings, HallqClient(url, "demo", token=token), printer)
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            while not app.catalog:
                await pilot.pause(0.01)
            for n in range(taps + 2):
                app.go_home()
                await pilot.pause()
                app.open_guide(SERVICE)
                while not isinstance(app.screen, GuideScreen):
                    await pilot.pause(0.005)
                await pilot.pause()
                jobs = len(transport.jobs)
                take = app.screen.query_one("#take", Button)
                started = time.perf_counter()
                # What a tap does once Textual has routed it: Pilot's own waiting is left out.
                take.press()
                while len(transport.jobs) == jobs:
                    await asyncio.sleep(0.001)
                if n >= 2:
                    timings.add(APP_ROW, time.perf_counter() - started)
                while not isinstance(app.screen, TicketScreen):
                    await pilot.pause(0.005)
    finally:
        printer.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--taps", type=int, default=200)
    parser.add_argument("--app-taps", type=int, default=30)
    parser.add_argument("--width", type=int, choices=(58, 80), default=80)
    args = parser.parse_args()
    default_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{tmp}/bench.sqlite3"
        proc, url = start_server(database)
        try:
            token = kiosk_token(database)
            split = asyncio.run(split_path(url, token, args.taps, args.width))
            whole = asyncio.run(through_the_app(url, token, args.app_taps, args.width))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print("| step | p50 | p95 | mean |")
    print("|---|---|---|---|")
    for name in split.samples:
        print(split.row(name))
    for name in whole.samples:
        print(whole.row(name))
    print(
        f"\n{args.taps} taps ({args.app_taps} through the app), {args.width} mm paper, "
        f"SQLite server in its own process, {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
