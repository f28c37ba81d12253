"""GET /api/v1/halls/{hall}/forecast over the service layer's state of the hall."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from queue_server.api.access import authorize
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.tickets import IssueRequest
from tests.support.factories import local
from tests.support.live_server import live_server


@pytest.fixture
def client(services: Services) -> Iterator[httpx.Client]:
    app = create_app(services)
    # Who may ask is the access table's business (duty lead, supervision); not tested here.
    app.dependency_overrides[authorize] = lambda: None
    with live_server(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        yield http


def test_a_long_queue_is_forecast_late_with_windows_to_open(
    services: Services, clock: ManualClock, client: httpx.Client
) -> None:
    start = local(2026, 11, 25, 14, 0)
    for i in range(40):
        clock.set(start + timedelta(minutes=i))
        services.queue.issue("test", IssueRequest("TAX"))
    clock.set(start + timedelta(minutes=45))
    called = services.queue.call_next("test", 2)
    assert called is not None
    services.queue.start("test", 2, called.id)

    body = client.get("/api/v1/halls/test/forecast").json()
    assert body["open_today"] is True
    assert body["before_closing"] is False
    assert body["closing"].startswith("2026-11-25T18:00:00")
    tax = next(p for p in body["pools"] if "TAX" in p["services"])
    assert tax["waiting"] >= 38
    assert body["predicted_end"] > body["closing"]
    assert "TAX" in {a["service"] for a in body["advice"]}
    assert body["probability_with_advice"] > body["probability_before_closing"]

    # Asked again at once about the same floor: the same answer, from the cache.
    assert client.get("/api/v1/halls/test/forecast").json() == body


def test_an_empty_hall_ends_now(clock: ManualClock, client: httpx.Client) -> None:
    clock.set(local(2026, 11, 25, 17, 45))
    body = client.get("/api/v1/halls/test/forecast").json()
    assert body["before_closing"] is True
    assert body["pools"] == []
    assert body["advice"] == []


def test_a_closed_day_has_no_forecast(clock: ManualClock, client: httpx.Client) -> None:
    clock.set(local(2026, 11, 29, 10, 0))  # a Sunday
    body = client.get("/api/v1/halls/test/forecast").json()
    assert body == {**body, "open_today": False, "predicted_end": None, "pools": []}
