"""The floor's service level is counted in SQL (one aggregate, not a row per visitor): a wait of
exactly the target counts as within it, half a second more does not, on both engines; the
figure equals the domain's own share over the same waits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.floor import service_level
from queue_server.services.floor_view import read_floor
from queue_server.services.tickets import IssueRequest
from tests.floor.conftest import floor_hall
from tests.support.factories import make_services


@pytest.fixture
def hall(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, floor_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def test_a_wait_of_exactly_the_target_is_within_it(hall: Services, clock: ManualClock) -> None:
    target = timedelta(minutes=hall.halls.get("test").config.call_policy.target_wait_minutes)
    start = clock.now()
    # Issued at +0 s, +0.5 s, +1 s, +2 s; all called target + 1 s after the first.
    for offset in (0.0, 0.5, 1.0, 2.0):
        clock.set(start + timedelta(seconds=offset))
        hall.queue.issue("test", IssueRequest("TAX"))
    called_at = start + target + timedelta(seconds=1)
    clock.set(called_at)
    waits = []
    for _ in range(4):
        ticket = hall.queue.call_next("test", 2)
        assert ticket is not None
        waits.append(called_at - ticket.issued_at)
        hall.queue.no_show("test", 2, ticket.id)
    assert sorted(w - target for w in waits) == [
        timedelta(seconds=-1),
        timedelta(0),
        timedelta(seconds=0.5),
        timedelta(seconds=1),
    ]
    with hall.db.read() as session:
        floor = read_floor(session, hall.halls.get("test"), clock.now(), estimates=False)
    levels = {row.code: row.service_level for row in floor.services}
    assert levels["TAX"] == service_level(waits, target) == 0.5
    assert levels["SOC"] is None  # nobody called yet
