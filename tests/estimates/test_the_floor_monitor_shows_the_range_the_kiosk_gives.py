"""The floor monitor's estimated wait per service is the range the kiosk gives the next
visitor: with people waiting, calibrated as at issue (read through the API of a real server)."""

from __future__ import annotations

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.services.event_log import Actor
from queue_server.services.floor_actions import FloorActions
from tests.support.api import Api
from tests.support.auth import clerk_at, staff_login


def test_the_floor_and_the_next_ticket_agree(
    services: Services, clock: ManualClock, api: Api
) -> None:
    clerk_at(services, 2)  # TAX only
    lead = Actor(clerk=staff_login(services, Role.DUTY_LEAD).user_id)
    FloorActions(services.db, services.halls, clock).close_window("test", 1, None, lead)
    for _ in range(3):
        api.ticket("TAX")
    floor = api.http.get("/api/v1/halls/test/floor")
    assert floor.status_code == 200, floor.text
    [tax] = [s for s in floor.json()["services"] if s["code"] == "TAX"]
    assert tax["waiting"] == 3
    nxt = api.ticket("TAX")
    assert nxt["ahead"] == 3 and nxt["estimated_wait"]["basis"] == "calibrated"
    told = nxt["estimated_wait"]
    assert (tax["estimate_low"], tax["estimate_high"], tax["estimate_basis"]) == (
        told["low_minutes"],
        told["high_minutes"],
        "calibrated",
    )
