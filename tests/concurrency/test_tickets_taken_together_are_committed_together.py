"""Tickets taken at the same moment are issued by the hall's writer in one transaction (group
commit), each answered exactly as if it had been issued alone: refusals stay refusals, a daily
cap is kept to the ticket, replays replay, and nothing is acknowledged before its COMMIT."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future

import pytest
from sqlalchemy import event, func, select

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.errors import DailyCapReached, IssuingStopped
from queue_server.domain.events import EventKind
from queue_server.services.errors import Conflict
from queue_server.services.event_log import SYSTEM, verify_chain
from queue_server.services.issue_writer import IssueWriter
from queue_server.services.tickets import IssueRequest
from queue_server.services.views import IssuedTicket
from queue_server.storage.tables import Counter, Event, Hall
from tests.support.factories import OPEN_MORNING, make_services, small_hall


@pytest.fixture
def capped(database_url: str) -> Iterator[Services]:
    built = make_services(database_url, small_hall(daily_cap=3), clock=ManualClock(OPEN_MORNING))
    yield built
    built.db.engine.dispose()


def commits(services: Services) -> list[int]:
    counted = [0]

    @event.listens_for(services.db.engine, "commit")
    def count(conn: object) -> None:
        counted[0] += 1

    return counted


def test_a_burst_is_committed_together_and_every_answer_is_its_own(
    capped: Services,
) -> None:
    writer = IssueWriter(capped.queue)
    counted = commits(capped)
    writer.submit("test", IssueRequest("TAX"), SYSTEM).result(timeout=30)
    before = counted[0]
    # Another transaction holds the hall's chain head: the writer's next batch waits for it,
    # and everything submitted meanwhile goes in the batch after that, together.
    taken, release = threading.Event(), threading.Event()
    held = threading.Thread(target=hold_the_chain_head, args=(capped, taken, release))
    held.start()
    assert taken.wait(10)
    burst: list[Future[IssuedTicket]] = [
        writer.submit("test", IssueRequest("TAX"), SYSTEM) for _ in range(7)
    ]
    release.set()
    held.join(30)
    answers = [f.result(timeout=30) for f in burst]
    # One commit for the held transaction, at most two for the seven tickets (the first may
    # have been taken alone before the others were queued); one each would be eight.
    assert counted[0] - before <= 3
    assert [a.ticket.number for a in answers] == [f"B{n:03d}" for n in range(2, 9)]
    assert [a.ticket.ahead for a in answers] == list(range(1, 8))
    with capped.db.read() as session:
        issued = session.scalar(
            select(func.count()).where(Event.kind == EventKind.TICKET_ISSUED.value)
        )
        assert issued == 8
        assert verify_chain(session, "test", capped.db.chain_key)[1] is None


def hold_the_chain_head(
    services: Services, taken: threading.Event, release: threading.Event
) -> None:
    with services.db.write() as work:
        work.session.execute(select(Hall.id).where(Hall.id == "test").with_for_update())
        taken.set()
        release.wait(30)


def test_refusals_in_a_batch_are_answered_and_the_rest_issued(capped: Services) -> None:
    capped.floor_actions.stop_issuing("test", "RES", "printer for RES forms is out", SYSTEM)
    capped.queue.issue("test", IssueRequest("TAX", idempotency_key="tap-1"))
    results = capped.queue.issue_many(
        "test",
        [
            (IssueRequest("TAX"), SYSTEM),
            (IssueRequest("RES"), SYSTEM),  # stopped
            (IssueRequest("SOC", idempotency_key="tap-1"), SYSTEM),  # key used for TAX
            (IssueRequest("TAX", idempotency_key="tap-1"), SYSTEM),  # a replay
            (IssueRequest("TAX", idempotency_key="tap-2"), SYSTEM),
            (IssueRequest("TAX", idempotency_key="tap-2"), SYSTEM),  # replay of the one above
        ],
    )
    issued, stopped, reused, replay, new, replay_of_new = results
    assert isinstance(issued, IssuedTicket) and issued.ticket.number == "B002"
    assert isinstance(stopped, IssuingStopped)
    assert isinstance(reused, Conflict)
    assert isinstance(replay, IssuedTicket) and replay.replayed
    assert replay.ticket.number == "B001"
    assert isinstance(new, IssuedTicket) and new.ticket.number == "B003" and not new.replayed
    assert isinstance(replay_of_new, IssuedTicket) and replay_of_new.replayed
    assert replay_of_new.ticket.id == new.ticket.id


def test_a_daily_cap_reached_in_a_batch_refuses_only_the_tickets_over_it(
    capped: Services,
) -> None:
    results = capped.queue.issue_many("test", [(IssueRequest("SOC"), SYSTEM) for _ in range(5)])
    numbers = [r.ticket.number for r in results if isinstance(r, IssuedTicket)]
    assert numbers == ["A001", "A002", "A003"]
    assert [type(r) for r in results[3:]] == [DailyCapReached, DailyCapReached]
    with capped.db.read() as session:
        issued = session.scalar(
            select(func.count()).where(Event.kind == EventKind.TICKET_ISSUED.value)
        )
        counted = {key: value for key, value in session.execute(select(Counter.key, Counter.value))}
    # The refused tickets moved no counter: the next day's first is A001 again, and the cap
    # counts tickets, not attempts.
    assert (issued, counted["prefix:A"], counted["service:SOC"]) == (3, 3, 3)
