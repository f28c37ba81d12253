"""Month arithmetic, written once: a month is named "YYYY-MM" (years 2000-2999) and spans its
first to its last calendar day. The reports, the assessment and the corrections all use it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from queue_server.domain.errors import RuleViolation

_MONTH = re.compile(r"^(2\d{3})-(0[1-9]|1[0-2])$")


def parse_month(text: str) -> date:
    """'2026-11' -> 2026-11-01, or RuleViolation `invalid_month` naming the expected form."""
    match = _MONTH.match(text.strip())
    if not match:
        raise RuleViolation(
            f"{text!r} is not a month like 2026-11 (years 2000-2999)", code="invalid_month"
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


def first_of(day: date) -> date:
    return day.replace(day=1)


def following_first(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (first_of(day) + timedelta(days=32)).replace(day=1)


def bounds_of(day: date) -> tuple[date, date]:
    """First and last calendar day of the month `day` falls in."""
    return first_of(day), following_first(day) - timedelta(days=1)


def month_bounds(month: str) -> tuple[date, date]:
    """First and last calendar day of "YYYY-MM"."""
    return bounds_of(parse_month(month))


def month_of(day: date) -> str:
    """The "YYYY-MM" a day belongs to."""
    return f"{day:%Y-%m}"


def previous_first(day: date) -> date:
    """The first day of the month before `day`'s."""
    return (first_of(day) - timedelta(days=1)).replace(day=1)


def previous_month(month: str) -> str:
    return month_of(previous_first(parse_month(month)))


def next_month(month: str) -> str:
    return month_of(following_first(parse_month(month)))


def months_between(first: str, last: str) -> list[str]:
    """Every month from `first` to `last`, both included (empty when `last` is earlier)."""
    months = []
    current = parse_month(first)
    end = parse_month(last)
    while current <= end:
        months.append(month_of(current))
        current = following_first(current)
    return months
