"""Properties of the call policy over random queues (hypothesis)."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from queue_server.domain.call_policy import CallPolicy, Candidate, WindowServices, choose_next
from queue_server.domain.tickets import Priority
from tests.support.factories import OPEN_MORNING

GUARD = 20
POLICY = CallPolicy(guard_minutes=GUARD)
WINDOWS = [WindowServices(1, {"SOC": 3, "TAX": 1}), WindowServices(2, {"TAX": 2, "SOC": 1})]

arrival = st.tuples(
    st.integers(min_value=0, max_value=240),  # minute of arrival
    st.sampled_from(["SOC", "TAX"]),
    st.sampled_from(list(Priority)),
)


def simulate(
    arrivals: list[tuple[int, str, Priority]], service_minutes: int
) -> list[tuple[int, Candidate, int]]:
    """Two windows each call one ticket every `service_minutes`; returns (minute, ticket,
    window) per call, with tickets arriving at their minute."""
    tickets = [
        Candidate(f"t{i:04d}", f"N{i}", service, priority, OPEN_MORNING + timedelta(minutes=minute))
        for i, (minute, service, priority) in enumerate(sorted(arrivals))
    ]
    waiting: list[Candidate] = []
    calls: list[tuple[int, Candidate, int]] = []
    pending = list(tickets)
    minute = 0
    while (pending or waiting) and minute < 10_000:
        now = OPEN_MORNING + timedelta(minutes=minute)
        while pending and pending[0].order_at <= now:
            waiting.append(pending.pop(0))
        for window in WINDOWS:
            chosen = choose_next(waiting, window, now, POLICY)
            if chosen is not None:
                waiting.remove(chosen)
                calls.append((minute, chosen, window.number))
        minute += service_minutes
    return calls


@settings(max_examples=150, deadline=None)
@given(st.lists(arrival, max_size=60), st.integers(min_value=1, max_value=15))
def test_every_ticket_is_called_exactly_once(arrivals: list, service_minutes: int) -> None:
    calls = simulate(arrivals, service_minutes)
    ids = [c.ticket_id for _, c, _ in calls]
    assert len(ids) == len(set(ids)) == len(arrivals)


@settings(max_examples=150, deadline=None)
@given(st.lists(arrival, max_size=60), st.integers(min_value=1, max_value=15))
def test_it_is_fifo_inside_a_class_and_service_at_one_window(
    arrivals: list, service_minutes: int
) -> None:
    calls = simulate(arrivals, service_minutes)
    for window in (1, 2):
        for service in ("SOC", "TAX"):
            for priority in Priority:
                times = [
                    c.order_at
                    for _, c, w in calls
                    if w == window and c.service == service and c.priority is priority
                ]
                assert times == sorted(times)


@settings(max_examples=150, deadline=None)
@given(st.lists(arrival, max_size=60), st.integers(min_value=1, max_value=15))
def test_no_normal_ticket_is_overtaken_by_priority_traffic_past_the_guard(
    arrivals: list, service_minutes: int
) -> None:
    """Once a normal ticket has waited the guard, no priority ticket that arrived after it
    is called before it at a window serving both."""
    calls = simulate(arrivals, service_minutes)
    called_at = {c.ticket_id: minute for minute, c, _ in calls}
    for minute, ticket, window in calls:
        if ticket.priority is Priority.NORMAL:
            continue
        now = OPEN_MORNING + timedelta(minutes=minute)
        serves = WINDOWS[window - 1].weights
        for _, other, _ in calls:
            if (
                other.priority is Priority.NORMAL
                and other.service in serves
                and other.order_at < ticket.order_at
                and now - other.order_at >= timedelta(minutes=GUARD)
            ):
                assert called_at[other.ticket_id] <= minute
