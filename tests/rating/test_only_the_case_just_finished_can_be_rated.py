"""A rating belongs to the case just finished at the display's window, within a few minutes
(10 by default); an earlier case, an unfinished one or a late rating is refused."""

from __future__ import annotations

from datetime import timedelta

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.tickets import IssueRequest
from tests.rating.helpers import Window
from tests.support.live_server import LiveServer


def test_only_the_case_just_finished(
    server: LiveServer, services: Services, clock: ManualClock
) -> None:
    window = Window(server.url, services)
    first = window.finish()
    clock.advance(timedelta(minutes=1))
    second = window.finish()
    earlier = window.rate(first["id"], "satisfied")
    assert earlier.status_code == 422
    assert earlier.json()["error"] == "not_rateable"
    assert "has finished another case since" in earlier.json()["message"]

    clock.advance(timedelta(minutes=11))
    late = window.rate(second["id"], "satisfied")
    assert late.json()["error"] == "rating_closed"

    third = window.finish()
    assert window.rate(third["id"], "very_satisfied").status_code == 201


def test_a_case_not_finished_cannot_be_rated(server: LiveServer, services: Services) -> None:
    window = Window(server.url, services)
    services.queue.issue("test", IssueRequest("SOC"))
    called = window.http.post("/windows/1/call-next", headers=window.clerk).json()
    refused = window.rate(called["id"], "satisfied")
    assert refused.json()["error"] == "not_rateable"
