"""Requests that arrive at the same moment are written by the hall's writer in one transaction
(group commit), each answered exactly as if it had been made alone: refusals stay refusals and
leave nothing behind, a daily cap is kept to the ticket, replays replay, and nothing is
acknowledged before its COMMIT."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import date

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.errors import DailyCapReached, IssuingStopped, RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.tickets import CaseType
from queue_server.services.database import Job, Work
from queue_server.services.errors import Conflict, Unavailable
from queue_server.services.event_log import SYSTEM, append_event, verify_chain
from queue_server.services.hall_writer import HallWriter
from queue_server.services.tickets import IssueRequest
from queue_server.services.views import IssuedTicket, TicketView
from queue_server.storage.tables import Counter, Event, Ticket
from tests.support.auth import clerk_at
from tests.support.factories import OPEN_MORNING, make_services, small_hall
from tests.support.locks import hold_the_chain_head


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
    writer = HallWriter(capped.db, capped.halls)
    counted = commits(capped)
    writer.submit("test", capped.queue.issue_job("test", IssueRequest("TAX"), SYSTEM)).result(
        timeout=30
    )
    before = counted[0]
    # Another transaction holds the hall's chain head: the writer's next batch waits for it,
    # and everything submitted meanwhile goes in the batch after that, together.
    taken, release = threading.Event(), threading.Event()
    held = threading.Thread(target=hold_the_chain_head, args=(capped, taken, release))
    held.start()
    assert taken.wait(10)
    burst: list[Future[IssuedTicket]] = [
        writer.submit("test", capped.queue.issue_job("test", IssueRequest("TAX"), SYSTEM))
        for _ in range(7)
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


def test_refusals_in_a_batch_are_answered_and_the_rest_issued(capped: Services) -> None:
    capped.floor_actions.stop_issuing("test", "RES", "printer for RES forms is out", SYSTEM)
    capped.queue.issue("test", IssueRequest("TAX", idempotency_key="tap-1"))
    requests = [
        IssueRequest("TAX"),
        IssueRequest("RES"),  # stopped
        IssueRequest("SOC", idempotency_key="tap-1"),  # key used for TAX
        IssueRequest("TAX", idempotency_key="tap-1"),  # a replay
        IssueRequest("TAX", idempotency_key="tap-2"),
        IssueRequest("TAX", idempotency_key="tap-2"),  # replay of the one above
    ]
    results = capped.db.run_together(
        [capped.queue.issue_job("test", request, SYSTEM) for request in requests]
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
    results = capped.db.run_together(
        [capped.queue.issue_job("test", IssueRequest("SOC"), SYSTEM) for _ in range(5)]
    )
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


def announce_then_fail(work: Work) -> None:
    payload = {"id": "a1", "text": "窗口 3 暂停", "until": OPEN_MORNING.isoformat()}
    append_event(work, "test", EventKind.HALL_ANNOUNCEMENT, OPEN_MORNING, payload=payload)
    raise RuntimeError("the printer driver crashed")


def test_a_request_refused_midway_is_rolled_back_alone(capped: Services) -> None:
    queue = capped.queue
    clerk_at(capped, 1)
    clerk_at(capped, 2)
    for code in ("TAX", "TAX", "SOC"):
        queue.issue("test", IssueRequest(code))
    at_two = queue.call_next("test", 2)
    assert at_two is not None
    queue.start("test", 2, at_two.id)
    announced: list[int] = []
    capped.db.on_commit(lambda hall, seq: announced.append(seq))
    with capped.db.read() as session:
        last_before = session.scalar(select(func.max(Event.seq)))
    results = capped.db.run_together(
        [
            queue.call_next_job("test", 1, SYSTEM),
            # Refused after it changed the ticket in the session: a deadline on a case that
            # is not a promised one. Its change must not reach the database.
            queue.finish_job("test", 2, at_two.id, CaseType.IMMEDIATE, date(2026, 12, 31)),
            queue.issue_job("test", IssueRequest("RES"), SYSTEM),
            queue.no_show_job("test", 3, at_two.id, SYSTEM),  # not at window 3
            Job(apply=announce_then_fail),  # a fault after its event was appended
        ]
    )
    called, refused, issued, wrong_window, fault = results
    assert isinstance(fault, RuntimeError)
    assert isinstance(called, TicketView) and called.window == 1
    assert isinstance(refused, RuleViolation) and refused.code == "invalid_deadline"
    assert isinstance(issued, IssuedTicket) and issued.ticket.number == "C001"
    assert isinstance(wrong_window, Exception)
    with capped.db.read() as session:
        row = session.get(Ticket, at_two.id)
        assert row is not None and row.state == "serving" and row.finished_at is None
        kinds = session.scalars(
            select(Event.kind).where(Event.seq > last_before).order_by(Event.seq)
        ).all()
        assert verify_chain(session, "test", capped.db.chain_key)[1] is None
    assert kinds == [EventKind.TICKET_CALLED.value, EventKind.TICKET_ISSUED.value]
    assert announced == [last_before + 1, last_before + 2]


def test_a_request_whose_client_left_does_not_stop_the_writer(capped: Services) -> None:
    writer = HallWriter(capped.db, capped.halls)
    taken, release = threading.Event(), threading.Event()
    held = threading.Thread(target=hold_the_chain_head, args=(capped, taken, release))
    held.start()
    assert taken.wait(10)
    left = writer.submit("test", capped.queue.issue_job("test", IssueRequest("TAX"), SYSTEM))
    assert left.cancel()  # the HTTP request was cancelled while its job waited
    release.set()
    held.join(30)
    after = writer.submit("test", capped.queue.issue_job("test", IssueRequest("TAX"), SYSTEM))
    # The cancelled request's ticket was issued all the same (a kiosk asks again with its key).
    assert after.result(timeout=30).ticket.number == "B002"


def test_coroutines_are_answered_and_one_whose_client_left_is_skipped(capped: Services) -> None:
    """The API's path (`run`, awaited on the event loop): a batch's answers reach their
    coroutines, and one cancelled while its job waited neither gets an answer nor stops the
    rest; its ticket is issued all the same."""
    writer = HallWriter(capped.db, capped.halls)
    taken, release = threading.Event(), threading.Event()
    held = threading.Thread(target=hold_the_chain_head, args=(capped, taken, release))
    held.start()
    assert taken.wait(10)

    def issue() -> Job[IssuedTicket]:
        return capped.queue.issue_job("test", IssueRequest("TAX"), SYSTEM)

    async def burst() -> list[IssuedTicket | BaseException]:
        tasks = [asyncio.create_task(writer.run("test", issue())) for _ in range(3)]
        await asyncio.sleep(0)  # one turn of the loop: each task queues its job and awaits
        tasks[1].cancel()
        await asyncio.to_thread(release.set)
        return await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 30)

    answers = asyncio.run(burst())
    held.join(30)
    assert isinstance(answers[1], asyncio.CancelledError)
    issued = [a for a in answers if isinstance(a, IssuedTicket)]
    assert [a.ticket.number for a in issued] == ["B001", "B003"]  # B002 went to the one gone
    after = asyncio.run(writer.run("test", issue()))
    assert after.ticket.number == "B004"


def test_a_locked_database_answers_the_whole_batch_at_once(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HALLQ_SQLITE_BUSY_MS", "300")
    services = make_services(sqlite_url, small_hall(), clock=ManualClock(OPEN_MORNING))
    try:
        services.queue.issue("test", IssueRequest("TAX"))
        path = make_url(sqlite_url).database
        assert path is not None
        locker = sqlite3.connect(path, isolation_level=None)
        locker.execute("BEGIN EXCLUSIVE")  # another process holds the file
        try:
            started = time.monotonic()
            results = services.db.run_together(
                [services.queue.issue_job("test", IssueRequest("TAX"), SYSTEM) for _ in range(8)]
            )
            waited = time.monotonic() - started
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        assert all(isinstance(r, Unavailable) for r in results)
        assert waited < 8 * 0.3  # one wait for the lock, not one per request
        assert services.queue.issue("test", IssueRequest("TAX")).ticket.number == "B002"
    finally:
        services.db.engine.dispose()
