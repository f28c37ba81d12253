"""Which ticket a window calls next (DOMAIN.md: priority, green channel, appointments).

Order, in two tiers:

* Tier 0, "priority traffic": appointment tickets (inside their arrival window; their order
  time is the booked time), green-channel tickets, and normal tickets that have already
  waited longer than the guard. Tier 0 is served by order time, class breaking ties.
* Tier 1, every other normal ticket: the window's weight for the service first (a window
  serves its main services before its backup ones), then order time.

Letting a normal ticket join tier 0 once it has waited `guard_minutes` is the anti-starvation
guard: priority tickets overtake a normal ticket only while it is younger than the guard, so
no normal ticket waits more than the guard behind priority traffic, and on a busy day a green
ticket still jumps every normal ticket that has not yet waited that long.

The optional priority:normal ratio (e.g. 3:1) makes a window call a normal ticket after that
many consecutive priority calls, whatever the times say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from queue_server.domain.errors import NotServedHere, ReasonRequired
from queue_server.domain.tickets import Priority


@dataclass(frozen=True)
class Candidate:
    ticket_id: str
    number: str
    service: str
    priority: Priority
    order_at: datetime
    target_window: int | None = None


@dataclass(frozen=True)
class CallPolicy:
    guard_minutes: int = 20
    # (priority calls, normal calls) in a row, or None for no alternation.
    priority_ratio: tuple[int, int] | None = None


@dataclass(frozen=True)
class WindowServices:
    number: int
    weights: Mapping[str, int]

    def serves(self, candidate: Candidate) -> bool:
        if candidate.target_window is not None:
            return candidate.target_window == self.number
        return self.weights.get(candidate.service, 0) > 0


def is_aged(candidate: Candidate, now: datetime, policy: CallPolicy) -> bool:
    return candidate.priority is Priority.NORMAL and now - candidate.order_at >= timedelta(
        minutes=policy.guard_minutes
    )


def is_tier_zero(candidate: Candidate, now: datetime, policy: CallPolicy) -> bool:
    return candidate.priority is not Priority.NORMAL or is_aged(candidate, now, policy)


def _sort_key(
    candidate: Candidate, window: WindowServices, now: datetime, policy: CallPolicy
) -> tuple[int, float, float, int]:
    weight = window.weights.get(candidate.service, 1)
    when = candidate.order_at.timestamp()
    if is_tier_zero(candidate, now, policy):
        return (0, when, candidate.priority.rank, -weight)
    return (1, -weight, when, candidate.priority.rank)


def rank_candidates(
    candidates: Sequence[Candidate], window: WindowServices, now: datetime, policy: CallPolicy
) -> list[Candidate]:
    """Every ticket this window may call, best first (without the alternation ratio)."""
    eligible = [c for c in candidates if window.serves(c)]
    # Ties (same instant) go by number, so a frozen test clock still calls A001 before A002.
    return sorted(
        eligible, key=lambda c: (*_sort_key(c, window, now, policy), c.number, c.ticket_id)
    )


def _must_call_normal(recent_priorities: Sequence[Priority], policy: CallPolicy) -> bool:
    """Whether the alternation ratio asks for a normal ticket now.

    `recent_priorities` are this window's latest calls, most recent first.
    """
    if policy.priority_ratio is None:
        return False
    priority_run, normal_run = policy.priority_ratio
    leading_normals = 0
    for p in recent_priorities:
        if p is not Priority.NORMAL:
            break
        leading_normals += 1
    rest = recent_priorities[leading_normals:]
    priority_streak = 0
    for p in rest:
        if p is Priority.NORMAL:
            break
        priority_streak += 1
    if leading_normals == 0:
        return priority_streak >= priority_run
    return priority_streak >= priority_run and leading_normals < normal_run


def choose_next(
    candidates: Sequence[Candidate],
    window: WindowServices,
    now: datetime,
    policy: CallPolicy,
    recent_priorities: Sequence[Priority] = (),
) -> Candidate | None:
    ranked = rank_candidates(candidates, window, now, policy)
    if not ranked:
        return None
    if _must_call_normal(recent_priorities, policy):
        normals = [c for c in ranked if c.priority is Priority.NORMAL]
        if normals:
            return normals[0]
    return ranked[0]


def check_specific_call(
    target: Candidate,
    candidates: Sequence[Candidate],
    window: WindowServices,
    now: datetime,
    policy: CallPolicy,
    recent_priorities: Sequence[Priority],
    reason: str | None,
) -> bool:
    """Validate calling `target` by number; returns True when it is out of order.

    Calling out of order is allowed only with a stated reason, which the event log keeps.
    """
    if not window.serves(target):
        raise NotServedHere(
            f"window {window.number} does not serve ticket {target.number} "
            f"(service {target.service})"
        )
    natural = choose_next(candidates, window, now, policy, recent_priorities)
    out_of_order = natural is None or natural.ticket_id != target.ticket_id
    if out_of_order and not (reason and reason.strip()):
        assert natural is not None
        raise ReasonRequired(
            f"ticket {target.number} is not next at window {window.number} "
            f"(next is {natural.number}); calling it out of order needs a reason"
        )
    return out_of_order
