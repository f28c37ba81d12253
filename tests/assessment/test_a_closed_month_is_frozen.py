"""A closed month keeps its scores and the rules they were computed with: later rule changes,
entries and complaints do not move it, and running it again is refused with 409."""

from __future__ import annotations

import httpx

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.config.assessment import AssessmentSection, KindPoints
from queue_server.domain.clock import ManualClock
from queue_server.services.halls import HallRegistry
from tests.assessment.month_support import assessment, fresh_headers, script_november
from tests.support.factories import local, make_services, small_hall
from tests.support.live_server import live_server


def _stricter(services: Services) -> None:
    """The hall adopts harsher rules: late -5 instead of -2."""
    config = small_hall()
    section = AssessmentSection(points={"late": KindPoints(staff=5)})
    services.halls = HallRegistry([config.model_copy(update={"assessment": section})])


def test_rules_changed_after_closing_do_not_alter_the_month(
    sqlite_url: str, clock: ManualClock
) -> None:
    services = make_services(sqlite_url, small_hall(), clock=clock)
    month = script_november(services, clock)
    clock.set(local(2026, 12, 1, 9, 0))
    with (
        live_server(create_app(services)) as server,
        httpx.Client(
            base_url=f"{server.url}/api/v1/halls/test/assessment",
            headers=fresh_headers(services, month.supervisor),
            timeout=30,
        ) as http,
    ):
        early = http.post("/months/2026-12/close")
        assert early.status_code == 409 and early.json()["error"] == "month_not_over"
        assert http.post("/months/2026-11/run").json()["runs"] == 1
        closed = http.post("/months/2026-11/close")
        assert closed.status_code == 200, closed.text
        frozen = closed.json()
        assert frozen["state"] == "closed" and frozen["runs"] == 2
        clerk = next(s for s in frozen["result"]["staff"] if s["subject"] == month.clerk.staff_no)
        assert clerk["total"] == 92
        assert frozen["rules"]["kinds"]["late"]["staff"]["points"] == -2

        _stricter(services)
        # A pennant for November recorded after closing is kept but does not enter the month...
        added = http.post(
            "/entries",
            json={"kind": "pennant", "day": "2026-11-30", "window": 1, "reason": "锦旗"},
        )
        assert added.status_code == 201
        # ... as a correction of November, scored in the month it was recorded in
        assert (added.json()["correction_of"], added.json()["counts_in"]) == ("2026-11", "2026-12")
        again = http.post("/months/2026-11/run")
        assert again.status_code == 409 and again.json()["error"] == "month_closed"
        assert "frozen" in again.json()["message"]
        assert http.post("/months/2026-11/close").status_code == 409
        assert http.get("/months/2026-11").json() == frozen

        # The same facts computed afresh under the new rules would score differently.
        fresh = assessment(services).compute("test", "2026-11")
        assert fresh.staff_member(month.clerk.staff_no).score.total == 100 - 5 - 6
        rules_now = http.get("/rules").json()
        assert rules_now["kinds"]["late"]["staff"]["points"] == -5
    services.db.engine.dispose()
