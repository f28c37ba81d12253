"""When the server goes away the board says so; when it is back the board catches up: calls
made meanwhile appear, fresh ones are announced once, stale ones and old ones not again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.board.conftest import board, count, is_hidden, spoken, wait_text, wait_until
from tests.live.helpers import quick_settings
from tests.support.auth import duty_lead_headers
from tests.support.live_server import LiveServer


def test_offline_badge_and_catch_up_without_stale_announcements(
    services: Services, clock: ManualClock, tmp_path: Path
) -> None:
    settings = quick_settings(voice_dir=tmp_path)
    server = LiveServer(create_app(services, settings)).start()
    try:
        api = httpx.Client(
            base_url=f"{server.url}/api/v1/halls/test", headers=duty_lead_headers(services)
        )
        for service in ("SOC", "SOC", "TAX"):
            api.post("/tickets", json={"service": service})
        with board(server.url) as page:
            assert is_hidden(page, "#offline")
            api.post("/windows/1/call-next")
            wait_until(page, "window.hallqBoard.spoken.length === 1")

            server.stop()
            wait_until(page, "!document.querySelector('#offline').hidden", timeout=5)
            assert page.evaluate("window.hallqBoard.connected") is False

            # While the board is away: one call, then ten minutes later another.
            services.queue.call_next("test", 3)  # A002, stale by the time the board is back
            clock.advance(timedelta(minutes=10))
            services.queue.call_next("test", 2)  # B001, just now

            server = LiveServer(create_app(services, settings), port=server.port).start()
            wait_until(page, "document.querySelector('#offline').hidden")
            wait_text(page, "#windows [data-window='3'] .ticket", "A002")
            wait_text(page, "#windows [data-window='2'] .ticket", "B001")
            # The tiles may come from the snapshot before the replayed calls reach the list.
            wait_until(
                page, "document.querySelectorAll(\"#calls .call[data-number='A002']\").length > 0"
            )
            wait_until(page, "window.hallqBoard.spoken.length >= 2")
            page.evaluate("new Promise(done => setTimeout(done, 500))")  # nothing more comes
            assert count(page, "#calls .call[data-number='A002']") == 1
            assert [(e["number"], e["window"]) for e in spoken(page)] == [
                ("A001", 1),
                ("B001", 2),
            ]
    finally:
        server.stop()
