"""Visitor rating (好差评, the national five-level rule) and the follow-up of a bad rating.

Five levels; the lower three may carry reasons; the lowest two are bad ratings and each one
opens a follow-up case with a deadline in working days, which records contact with the
visitor, the fix and the closure. Who gave which rating is never shown to the clerk.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from enum import StrEnum

from queue_server.domain.calendar import HallCalendar
from queue_server.domain.errors import RuleViolation


class Level(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"


LEVEL_TEXT: dict[Level, tuple[str, str]] = {
    Level.VERY_SATISFIED: ("非常满意", "Very satisfied"),
    Level.SATISFIED: ("满意", "Satisfied"),
    Level.BASICALLY_SATISFIED: ("基本满意", "Basically satisfied"),
    Level.DISSATISFIED: ("不满意", "Dissatisfied"),
    Level.VERY_DISSATISFIED: ("非常不满意", "Very dissatisfied"),
}

WITH_REASONS = frozenset({Level.BASICALLY_SATISFIED, Level.DISSATISFIED, Level.VERY_DISSATISFIED})
BAD = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})

REASON_TEXT: dict[str, tuple[str, str]] = {
    "long_wait": ("等候时间长", "Long wait"),
    "attitude": ("服务态度不好", "Unfriendly service"),
    "unclear": ("解释不清楚", "Not explained clearly"),
    "materials_again": ("多次要求补材料", "Asked for materials more than once"),
    "slow": ("办理效率低", "Slow handling"),
    "unsolved": ("问题没有解决", "Problem not solved"),
    "other": ("其他", "Other"),
}

MAX_REASONS = len(REASON_TEXT)


def is_bad(level: Level) -> bool:
    return level in BAD


def check_reasons(level: Level, reasons: Collection[str]) -> tuple[str, ...]:
    """The reasons in a stable order, or RuleViolation when they do not fit the level."""
    unknown = sorted(set(reasons) - set(REASON_TEXT))
    if unknown:
        raise RuleViolation(
            f"unknown rating reasons {unknown}; use {', '.join(REASON_TEXT)}",
            code="invalid_reason",
        )
    if reasons and level not in WITH_REASONS:
        raise RuleViolation(
            f"reasons go with the lower ratings only, not with {level.value}",
            code="invalid_reason",
        )
    return tuple(code for code in REASON_TEXT if code in reasons)


def check_rating_window(finished_at: datetime, now: datetime, accept: timedelta) -> None:
    """A rating belongs to the moment the case ends; a late one is no longer that visitor's."""
    if now - finished_at > accept:
        minutes = int(accept.total_seconds() // 60)
        raise RuleViolation(
            f"ratings are taken within {minutes} minutes of the finish; this case finished earlier",
            code="rating_closed",
        )


def follow_up_deadline(calendar: HallCalendar, rated_on: date, working_days: int) -> date:
    return calendar.add_working_days(rated_on, working_days)


class FollowUpState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


def check_can_close(state: FollowUpState, contacted: bool, fixed: bool) -> None:
    if state is FollowUpState.CLOSED:
        raise RuleViolation("this follow-up is already closed", code="follow_up_closed")
    missing = [what for what, done in (("the contact", contacted), ("the fix", fixed)) if not done]
    if missing:
        raise RuleViolation(
            f"record {' and '.join(missing)} before closing the follow-up",
            code="follow_up_incomplete",
        )


def check_open(state: FollowUpState) -> None:
    if state is FollowUpState.CLOSED:
        raise RuleViolation(
            "this follow-up is closed; nothing more is recorded on it", code="follow_up_closed"
        )


def is_overdue(deadline: date, closed_on: date | None, as_of: date) -> bool:
    """The one definition of an overdue follow-up, for the floor, the follow-up list and the
    monthly bulletin alike: it was not closed by its deadline, so it is still open after the
    deadline on `as_of`, or it was closed on a later day (closed late stays overdue: the
    bulletin reports the deadline missed, not whether it is still open)."""
    if closed_on is not None:
        return closed_on > deadline
    return as_of > deadline
