"""Charts: today's arrivals and services by hour beside the same weekday's average over the
past weeks, and how long today's called visitors waited."""

from __future__ import annotations

from datetime import timedelta

from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import CaseType
from queue_server.services.tickets import IssueRequest
from tests.floor.conftest import Floor
from tests.support.factories import local


def test_hourly_counts_against_the_weekday_average(floor: Floor, clock: ManualClock) -> None:
    queue = floor.services.queue
    # Two past Wednesdays: 4 arrivals at 09:xx one week, 2 the other; 1 served at 10:xx.
    for day, count in ((11, 4), (18, 2)):
        clock.set(local(2026, 11, day, 9, 30))
        for _ in range(count):
            queue.issue("test", IssueRequest("SOC"))
    clock.set(local(2026, 11, 18, 10, 15))
    called = queue.call_next("test", 1)
    assert called is not None
    queue.start("test", 1, called.id)
    queue.finish("test", 1, called.id, CaseType.IMMEDIATE)
    # A Thursday does not count for a Wednesday.
    clock.set(local(2026, 11, 19, 9, 30))
    queue.issue("test", IssueRequest("SOC"))
    # Today, Wednesday 25th: three arrivals at 10:00, one called after 12 minutes.
    clock.set(local(2026, 11, 25, 10, 0))
    for _ in range(3):
        queue.issue("test", IssueRequest("TAX"))
    clock.advance(timedelta(minutes=12))
    assert queue.call_next("test", 2) is not None

    charts = floor.api.get("/floor/charts").json()
    hours = charts["hours"]
    assert hours == list(range(9, 18))
    at = {h: i for i, h in enumerate(hours)}
    assert charts["usual_days"] == 2
    assert charts["arrivals_usual"][at[9]] == 3.0
    assert charts["served_usual"][at[10]] == 0.5
    assert charts["arrivals_today"][at[10]] == 3 and sum(charts["arrivals_today"]) == 3
    assert sum(charts["served_today"]) == 0
    assert dict(map(tuple, charts["waits"]))["10-15"] == 1
    assert sum(n for _, n in charts["waits"]) == 1
