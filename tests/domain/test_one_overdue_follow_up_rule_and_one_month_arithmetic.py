"""One definition of an overdue bad-rating follow-up (not closed by its deadline) and one month
arithmetic, both in the domain; the reports and the follow-up list use the same functions."""

from __future__ import annotations

from datetime import date

import pytest

from queue_server.domain import months
from queue_server.domain.errors import RuleViolation
from queue_server.domain.rating import is_overdue

DEADLINE = date(2026, 11, 6)


def test_open_follow_up_is_overdue_only_after_its_deadline() -> None:
    assert not is_overdue(DEADLINE, None, DEADLINE)
    assert is_overdue(DEADLINE, None, date(2026, 11, 9))


def test_closed_follow_up_is_overdue_when_closed_after_its_deadline() -> None:
    assert not is_overdue(DEADLINE, DEADLINE, date(2026, 11, 30))
    assert is_overdue(DEADLINE, date(2026, 11, 9), date(2026, 11, 30))
    # a report of the month as of an earlier day still knows the closure was late
    assert is_overdue(DEADLINE, date(2026, 11, 9), date(2026, 11, 9))


def test_the_reports_and_the_assessment_share_the_month_arithmetic() -> None:
    from queue_server.domain.assessment import month as assessment_month
    from queue_server.services import reports as report_service

    assert assessment_month.month_bounds is months.month_bounds
    assert report_service.parse_month is months.parse_month


@pytest.mark.parametrize(
    ("month", "first", "last", "before", "after"),
    [
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29), "2028-01", "2028-03"),
        ("2027-01", date(2027, 1, 1), date(2027, 1, 31), "2026-12", "2027-02"),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "2026-11", "2027-01"),
    ],
)
def test_month_bounds_and_neighbours(
    month: str, first: date, last: date, before: str, after: str
) -> None:
    assert months.month_bounds(month) == (first, last)
    assert months.bounds_of(date(first.year, first.month, 15)) == (first, last)
    assert months.previous_month(month) == before
    assert months.next_month(month) == after
    assert months.month_of(last) == month


def test_months_between_crosses_the_year() -> None:
    assert months.months_between("2026-11", "2027-02") == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]
    assert months.months_between("2026-11", "2026-10") == []


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "1999-12", "x", " 2026-11-01"])
def test_a_month_must_look_like_one(text: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        months.parse_month(text)
    assert refused.value.code == "invalid_month"
