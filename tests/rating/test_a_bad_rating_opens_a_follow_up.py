"""End to end: a clerk finishes a case at the console, the window display turns into the
rating pad, the visitor rates it 不满意 with a reason, and a follow-up opens for the duty lead
with its deadline five working days later (over a weekend); the same ticket cannot be rated
twice, and the clerk's token cannot read the follow-ups."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.clock import ManualClock
from tests.console.conftest import clerk, issue, press, running_console, signed_in, until
from tests.rating.conftest import running_display
from tests.support.auth import bearer, device_token, staff_login
from tests.support.live_server import LiveServer
from window_display.rating import RatingScreen


async def test_finish_rate_and_follow_up(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    staff_no = clerk(services)
    display = device_token(services, DeviceKind.DISPLAY, window=1)
    issue(services, "SOC")
    async with (
        running_console(server.url, 1) as (console, cpilot),
        running_display(server.url, 1, display) as (screen, dpilot),
    ):
        await signed_in(console, cpilot, staff_no)
        await until(dpilot, lambda: screen.online and screen.state.clerk is not None)
        assert screen.state.clerk.name == "王芳"
        await press(console, cpilot, "f1")
        await press(console, cpilot, "f3")
        ticket = console.current
        assert ticket is not None
        await press(console, cpilot, "f7")
        await press(console, cpilot, "1")
        await until(dpilot, lambda: isinstance(screen.screen, RatingScreen), "the rating pad")
        pad = screen.screen
        assert isinstance(pad, RatingScreen)
        await until(dpilot, lambda: bool(pad.query("#level-dissatisfied")), "the levels")
        await dpilot.click("#level-dissatisfied")
        await dpilot.pause()
        await dpilot.click("#reason-long_wait")
        await dpilot.click("#submit")
        await until(dpilot, lambda: not isinstance(screen.screen, RatingScreen), "thanks")

    # 2026-11-25 is a Wednesday: five working days later is Wednesday 2 December.
    lead = staff_login(services, Role.DUTY_LEAD).headers
    with httpx.Client(base_url=f"{server.url}/api/v1/halls/test") as api:
        [follow_up] = api.get("/follow-ups", headers=lead).json()
        assert follow_up["deadline"] == "2026-12-02"
        assert follow_up["level"] == "dissatisfied"
        assert follow_up["reasons"] == ["long_wait"]
        assert follow_up["ticket_number"] == ticket["number"]
        assert (follow_up["clerk_staff_no"], follow_up["state"]) == (staff_no, "open")

        again = api.post(
            f"/windows/1/tickets/{ticket['id']}/rating",
            json={"level": "very_satisfied"},
            headers=bearer(display),
        )
        assert again.status_code == 409
        assert "already been rated" in again.json()["message"]

        clerk_token = services.accounts.login(staff_no, "correct horse battery", "t").token
        refused = api.get("/follow-ups", headers=bearer(clerk_token))
        assert refused.status_code == 403
        assert api.get("/ratings/summary", headers=bearer(clerk_token)).status_code == 403
