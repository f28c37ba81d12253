"""Which ticket a window calls next (examples; properties are in the next file)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_server.domain.call_policy import (
    CallPolicy,
    Candidate,
    WindowServices,
    check_specific_call,
    choose_next,
)
from queue_server.domain.errors import NotServedHere, ReasonRequired
from queue_server.domain.tickets import Priority
from tests.support.factories import OPEN_MORNING

NOW = OPEN_MORNING
WINDOW = WindowServices(1, {"SOC": 3, "TAX": 1})
POLICY = CallPolicy(guard_minutes=20)


def ticket(
    tid: str,
    minutes_ago: float,
    service: str = "SOC",
    priority: str = "normal",
    target: int | None = None,
) -> Candidate:
    return Candidate(
        tid, tid, service, Priority(priority), NOW - timedelta(minutes=minutes_ago), target
    )


def pick(
    *tickets: Candidate, policy: CallPolicy = POLICY, recent: tuple[Priority, ...] = ()
) -> str | None:
    chosen = choose_next(list(tickets), WINDOW, NOW, policy, recent)
    return chosen.ticket_id if chosen else None


def test_it_calls_the_oldest_ticket_first() -> None:
    assert pick(ticket("new", 1), ticket("old", 5)) == "old"


def test_green_channel_goes_before_normal() -> None:
    assert pick(ticket("normal", 10), ticket("green", 1, priority="green")) == "green"


def test_appointment_goes_before_green_at_the_same_time() -> None:
    both = (ticket("green", 3, priority="green"), ticket("appt", 3, priority="appointment"))
    assert pick(*both) == "appt"


def test_a_windows_main_service_goes_before_its_backup_service() -> None:
    assert pick(ticket("tax", 10, service="TAX"), ticket("soc", 2)) == "soc"


def test_a_normal_ticket_past_the_guard_goes_before_newer_priority_tickets() -> None:
    aged = ticket("aged", 21)
    green = ticket("green", 5, priority="green")
    assert pick(aged, green) == "aged"


def test_a_priority_ticket_older_than_an_aged_normal_still_goes_first() -> None:
    assert pick(ticket("aged", 21), ticket("green", 30, priority="green")) == "green"


def test_an_aged_backup_service_ticket_is_not_starved_by_the_main_service() -> None:
    assert pick(ticket("tax", 25, service="TAX"), ticket("soc", 2)) == "tax"


def test_it_ignores_services_the_window_does_not_serve() -> None:
    assert pick(ticket("res", 50, service="RES")) is None


def test_a_ticket_transferred_to_a_window_is_called_only_there() -> None:
    pinned_here = ticket("here", 5, service="RES", target=1)
    pinned_elsewhere = ticket("there", 50, target=2)
    assert pick(pinned_here, pinned_elsewhere) == "here"


def test_the_ratio_calls_a_normal_ticket_after_enough_priority_calls() -> None:
    policy = CallPolicy(guard_minutes=60, priority_ratio=(2, 1))
    waiting = (ticket("normal", 5), ticket("green", 1, priority="green"))
    green = Priority.GREEN
    assert pick(*waiting, policy=policy, recent=(green,)) == "green"
    assert pick(*waiting, policy=policy, recent=(green, green)) == "normal"
    assert pick(*waiting, policy=policy, recent=(Priority.NORMAL, green, green)) == "green"


def test_calling_out_of_order_needs_a_reason() -> None:
    waiting = [ticket("first", 10), ticket("second", 1)]
    with pytest.raises(ReasonRequired) as caught:
        check_specific_call(waiting[1], waiting, WINDOW, NOW, POLICY, (), None)
    assert "next is first" in caught.value.message
    assert check_specific_call(waiting[1], waiting, WINDOW, NOW, POLICY, (), "elderly, unwell")


def test_calling_the_natural_next_ticket_by_number_needs_no_reason() -> None:
    waiting = [ticket("first", 10), ticket("second", 1)]
    assert not check_specific_call(waiting[0], waiting, WINDOW, NOW, POLICY, (), None)


def test_a_window_cannot_call_a_service_it_does_not_serve() -> None:
    res = ticket("res", 1, service="RES")
    with pytest.raises(NotServedHere):
        check_specific_call(res, [res], WINDOW, NOW, POLICY, (), "why not")
