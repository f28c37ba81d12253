"""The SQL count of people ahead agrees with the call policy's own ranking."""

from __future__ import annotations

import uuid
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from queue_server.api.deps import Services
from queue_server.domain.call_policy import WindowServices, rank_candidates
from queue_server.domain.tickets import Priority, format_number
from queue_server.services.queries import count_ahead, to_candidate
from queue_server.storage.tables import Ticket
from tests.support.factories import OPEN_MORNING

queue = st.lists(
    st.tuples(st.integers(min_value=0, max_value=60), st.sampled_from(list(Priority))),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(queue)
def test_every_waiting_ticket_counts_the_tickets_ranked_before_it(
    services: Services, tickets: list[tuple[int, Priority]]
) -> None:
    hall = services.halls.get("test")
    now = OPEN_MORNING + timedelta(minutes=60)
    with services.db.write() as work:
        session = work.session
        session.execute(delete(Ticket))
        for n, (minute, priority) in enumerate(tickets, start=1):
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
                )
            )
    with services.db.read() as session:
        rows = session.query(Ticket).all()
        ranked = rank_candidates(
            [to_candidate(r) for r in rows], WindowServices(0, {"SOC": 1}), now, hall.policy
        )
        position = {c.ticket_id: i for i, c in enumerate(ranked)}
        for row in rows:
            assert count_ahead(session, hall, row, now) == position[row.id], row.number
