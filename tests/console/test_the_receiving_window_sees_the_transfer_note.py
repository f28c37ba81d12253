"""A transferred visitor arrives with the sending window's note (首问负责): the console of the
window that calls them shows it next to the number; the public snapshot never carries it."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from tests.console.conftest import clerk, issue, press, running_console, signed_in, text, until
from tests.support.auth import clerk_at
from tests.support.live_server import LiveServer

NOTE = "已收身份证复印件，缺营业执照"


async def test_the_receiving_window_sees_the_transfer_note(
    server: LiveServer, services: Services
) -> None:
    issue(services, "SOC")
    sender = clerk_at(services, 1, staff_no="2001")
    with httpx.Client(base_url=f"{server.url}/api/v1/halls/test", timeout=30) as http:
        called = http.post("/windows/1/call-next", headers=sender.headers).json()
        moved = http.post(
            f"/windows/1/tickets/{called['id']}/transfer",
            json={"service": "TAX", "note": NOTE},
            headers=sender.headers,
        )
        assert moved.status_code == 201, moved.text
        assert NOTE not in http.get("/snapshot").text  # free text stays off public surfaces
        stranger = http.get(f"/windows/2/tickets/{moved.json()['id']}/handover")
        assert stranger.status_code == 401

    staff_no = clerk(services)
    async with running_console(server.url, 2) as (app, pilot):
        await signed_in(app, pilot, staff_no)
        await press(app, pilot, "f1")
        assert app.current is not None and app.current["number"] == called["number"]
        await until(pilot, lambda: NOTE in text(app, "handover"), "the note")
        assert app.query_one("#handover").display
        await press(app, pilot, "f3")
        await press(app, pilot, "f7")
        await press(app, pilot, "1")
        await until(pilot, lambda: app.current is None, "the finish")
        await pilot.pause(0.1)
        assert not app.query_one("#handover").display  # it went with the visitor
