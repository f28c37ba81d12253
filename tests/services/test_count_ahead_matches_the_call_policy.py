"""The SQL count of people ahead agrees with the call policy's own ranking, on both engines:
priority classes, aged and fresh tickets, several at one instant, and tickets sent to a window
by name (never counted ahead of anyone; counted for themselves as the untargeted queue would
place them)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from queue_server.api.deps import Services
from queue_server.domain.call_policy import WindowServices, rank_candidates
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import Priority, format_number
from queue_server.services.issue_inputs import queue_sizes
from queue_server.services.queries import count_ahead, to_candidate
from queue_server.storage.tables import Ticket
from tests.support.factories import OPEN_MORNING, make_services, small_hall

queue = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60),
        st.sampled_from(list(Priority)),
        st.sampled_from([None, None, None, 1]),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, small_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def _queue_of(services: Services, tickets: list[tuple[int, Priority, int | None]]) -> None:
    """Only these tickets waiting for SOC: (minutes after opening, class, window by name)."""
    with services.db.write() as work:
        session = work.session
        session.execute(delete(Ticket))
        for n, (minute, priority, target) in enumerate(tickets, start=1):
            session.add(
                Ticket(
                    id=uuid.uuid4().hex,
                    hall_id="test",
                    service_code="SOC",
                    business_day=OPEN_MORNING.date(),
                    prefix="A",
                    seq_no=n,
                    number=format_number("A", n),
                    priority=priority.value,
                    state="waiting",
                    recall_count=0,
                    issued_at=OPEN_MORNING,
                    order_at=OPEN_MORNING + timedelta(minutes=minute),
                    target_window=target,
                )
            )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(queue)
def test_every_waiting_ticket_counts_the_tickets_ranked_before_it(
    services: Services, tickets: list[tuple[int, Priority, int | None]]
) -> None:
    hall = services.halls.get("test")
    now = OPEN_MORNING + timedelta(minutes=60)
    _queue_of(services, tickets)
    with services.db.read() as session:
        rows = session.query(Ticket).order_by(Ticket.seq_no).all()
        queued = [to_candidate(r) for r in rows if r.target_window is None]
        for row in rows:
            itself = replace(to_candidate(row), target_window=None)
            others = [c for c in queued if c.ticket_id != row.id]
            ranked = rank_candidates(
                [*others, itself], WindowServices(0, {"SOC": 1}), now, hall.policy
            )
            expected = [c.ticket_id for c in ranked].index(row.id)
            assert count_ahead(session, hall, row, now) == expected, row.number


@pytest.fixture
def pg_services(postgres_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(postgres_url, small_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    queue,
    st.integers(min_value=0, max_value=60),
    st.sampled_from(list(Priority)),
    st.booleans(),
)
def test_a_ticket_counted_by_the_statement_that_inserts_it_is_told_its_place(
    pg_services: Services,
    tickets: list[tuple[int, Priority, int | None]],
    minute: int,
    priority: Priority,
    batch_counted_before: bool,
) -> None:
    """On PostgreSQL issuing inserts the ticket in the statement that counts the people ahead
    of it, whose snapshot does not hold the new row yet; the place must still be the one the
    call policy gives it, first in a transaction or after the batch counted the queue."""
    services = pg_services
    hall = services.halls.get("test")
    now = OPEN_MORNING + timedelta(minutes=60)
    _queue_of(services, tickets)
    seq_no = len(tickets) + 1
    values = {
        "id": uuid.uuid4().hex,
        "hall_id": "test",
        "service_code": "SOC",
        "business_day": OPEN_MORNING.date(),
        "prefix": "A",
        "seq_no": seq_no,
        "number": format_number("A", seq_no),
        "priority": priority.value,
        "state": "waiting",
        "recall_count": 0,
        "issued_at": now,
        "order_at": OPEN_MORNING + timedelta(minutes=minute),
    }
    untargeted = sum(1 for _, _, target in tickets if target is None)
    with services.db.write() as work:
        if batch_counted_before:  # as an earlier ticket of the same batch leaves it
            queue_sizes(work.session)[("test", "SOC")] = untargeted
        told = count_ahead(
            work.session, hall, Ticket(**values), now, just_issued=True, inserting=values
        )
        remembered = queue_sizes(work.session).get(("test", "SOC"))
    with services.db.read() as session:
        rows = session.query(Ticket).all()
        queued = [to_candidate(r) for r in rows if r.target_window is None]
        ranked = rank_candidates(queued, WindowServices(0, {"SOC": 1}), now, hall.policy)
        assert told == [c.ticket_id for c in ranked].index(values["id"])
    if remembered is not None:
        assert remembered == untargeted + 1
