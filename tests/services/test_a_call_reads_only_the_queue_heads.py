"""A call reads only the head of each queue (service and priority class, and the tickets sent
to the window by name), and chooses from those exactly the ticket it would choose from the
whole queue: on random queues, call after call (each choice excluded as a lost claim is),
with and without a priority ratio, on both engines."""

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
from queue_server.domain.call_policy import WindowServices, choose_next
from queue_server.domain.clock import ManualClock
from queue_server.domain.tickets import Priority, format_number
from queue_server.services.queries import queue_heads, waiting_candidates
from queue_server.storage.tables import Ticket
from tests.support.factories import OPEN_MORNING, make_services, small_hall

WINDOW = WindowServices(1, {"SOC": 3, "TAX": 1})

ticket = st.tuples(
    st.sampled_from(["SOC", "TAX", "RES"]),
    st.sampled_from(list(Priority)),
    st.integers(min_value=0, max_value=40),  # minute of its order time: ties are common
    st.sampled_from([None, None, None, None, 1, 2]),  # sent to a window by name
    st.booleans(),  # still waiting (or already called)
)


@pytest.fixture
def hall_services(database_url: str) -> Iterator[Services]:
    built = make_services(database_url, small_hall(), clock=ManualClock(OPEN_MORNING))
    yield built
    built.db.engine.dispose()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tickets=st.lists(ticket, min_size=0, max_size=24),
    recent=st.lists(st.sampled_from(list(Priority)), max_size=4),
    ratio=st.sampled_from([None, (2, 1), (1, 3)]),
)
def test_the_heads_choose_what_the_whole_queue_chooses(
    hall_services: Services,
    tickets: list[tuple[str, Priority, int, int | None, bool]],
    recent: list[Priority],
    ratio: tuple[int, int] | None,
) -> None:
    hall = hall_services.halls.get("test")
    policy = replace(hall.policy, priority_ratio=ratio)
    now = OPEN_MORNING + timedelta(minutes=45)
    with hall_services.db.write() as work:
        work.session.execute(delete(Ticket))
        for n, (code, priority, minute, pinned, waiting) in enumerate(tickets, start=1):
            work.session.add(
                Ticket(
                    id=uuid.uuid4().hex,
                    hall_id="test",
                    service_code=code,
                    business_day=OPEN_MORNING.date(),
                    prefix="A",
                    seq_no=n,
                    number=format_number("A", n),
                    priority=priority.value,
                    state="waiting" if waiting else "called",
                    recall_count=0,
                    issued_at=OPEN_MORNING,
                    order_at=OPEN_MORNING + timedelta(minutes=minute),
                    target_window=pinned,
                )
            )
    with hall_services.db.read() as session:
        whole = waiting_candidates(session, "test", WINDOW, WINDOW.number)
        # Called one after another until the queue is empty, each choice taken away as a claim
        # lost to another window would be: the heads must give the whole queue's order.
        tried: set[str] = set()
        calls = list(recent)
        while True:
            rest = [c for c in whole if c.ticket_id not in tried]
            heads = queue_heads(session, "test", WINDOW, WINDOW.number, exclude=tried)
            assert {c.ticket_id for c in heads} <= {c.ticket_id for c in rest}
            expected = choose_next(rest, WINDOW, now, policy, calls[-4:])
            chosen = choose_next(heads, WINDOW, now, policy, calls[-4:])
            assert (chosen and chosen.ticket_id) == (expected and expected.ticket_id)
            if chosen is None:
                break
            tried.add(chosen.ticket_id)
            calls.append(chosen.priority)
