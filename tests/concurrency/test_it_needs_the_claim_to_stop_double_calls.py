"""Regression: a naive read-then-update lets two windows call the same ticket.

Two windows read the queue at the same moment (a barrier holds both after reading). With the
compare-and-set claim (FOR UPDATE SKIP LOCKED + state re-check) they call different tickets;
with a plain UPDATE in its place both call the first ticket. So the claim is what prevents
double calls, not luck of timing.

On PostgreSQL call-next also takes turns per hall (`hall_lock.hold_hall`: an advisory lock and the
chain head) so that racing windows do not all read the same head; the races below switch the
turns off to reach the claim, and the last test shows the turns alone keep two windows apart
as well.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from queue_server.api.deps import Services
from queue_server.services import calling as ticket_service
from queue_server.services import queries
from queue_server.services.tickets import IssueRequest
from queue_server.storage.tables import Ticket
from tests.support.factories import make_services, small_hall


def naive_claim(session: Session, ticket_id: str, window_no: int, at: datetime) -> Ticket | None:
    called = session.execute(
        update(Ticket.__table__)
        .where(Ticket.__table__.c.id == ticket_id)
        .values(state="called", window_no=window_no, called_at=at)
        .returning(*Ticket.__table__.c)
    ).first()
    return None if called is None else Ticket(**called._mapping)


def race_two_windows(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(queries, "hold_hall", lambda session, hall_id: None)
    barrier = threading.Barrier(2, timeout=10)
    original: Callable[..., Any] = ticket_service.queue_heads
    waited: set[int] = set()

    def heads_then_wait(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        # Only each window's first read waits: the loser of a claim reads again, alone.
        if threading.get_ident() not in waited:
            waited.add(threading.get_ident())
            barrier.wait()
        return found

    monkeypatch.setattr(ticket_service, "queue_heads", heads_then_wait)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda w: services.queue.call_next("test", w), (1, 4)))
    return [r.number for r in results if r is not None]


@pytest.fixture
def pg_services(postgres_url: str) -> Services:
    services = make_services(postgres_url, small_hall(extra_windows=1))
    for _ in range(3):
        services.queue.issue("test", IssueRequest("SOC"))
    return services


def test_the_claim_gives_two_windows_two_tickets(
    pg_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = race_two_windows(pg_services, monkeypatch)
    assert sorted(numbers) == ["A001", "A002"]


def test_a_naive_update_double_calls(
    pg_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ticket_service, "claim_and_call", naive_claim)
    numbers = race_two_windows(pg_services, monkeypatch)
    assert numbers == ["A001", "A001"], "without the claim both windows call the same ticket"


def test_call_next_takes_turns_on_postgres(
    pg_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ticket_service, "claim_and_call", naive_claim)
    original: Callable[..., Any] = ticket_service.queue_heads

    def slow_heads(*args: Any, **kwargs: Any) -> Any:
        found = original(*args, **kwargs)
        time.sleep(0.3)  # long enough for the other window to read too, were it not waiting
        return found

    monkeypatch.setattr(ticket_service, "queue_heads", slow_heads)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda w: pg_services.queue.call_next("test", w), (1, 4)))
    assert sorted(r.number for r in results if r is not None) == ["A001", "A002"]
