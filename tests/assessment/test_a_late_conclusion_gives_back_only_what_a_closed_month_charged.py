"""The correction rule for a conclusion recorded after months were closed: each closed month
that charged the case as still open (its line names the case's finish, not its conclusion)
gives back the overdue working days the conclusion day shows were not overdue; a month that
saw the conclusion owes nothing. Whether a closed month counted a fact is read off what it
froze, never off timestamps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from queue_server.domain.assessment.corrections import (
    FrozenMonth,
    closed_when_recorded,
    overdue_days_taken_back,
)

FINISH, CONCLUSION = "event:10", "event:99"


def weekdays_between(start: date, end: date) -> int:
    """Working days after `start` up to `end` (a plain Monday-Friday week)."""
    days, current = 0, start
    while current < end:
        current += timedelta(days=1)
        days += current.weekday() < 5
    return days


def month(name: str, *refs: str, overdue: tuple[str, ...] = ()) -> FrozenMonth:
    closed = datetime(2026, 12, 1, tzinfo=UTC)
    lines = {overdue[0]: frozenset(overdue)} if overdue else {}
    return FrozenMonth(name, closed, frozenset(refs), lines)


def test_on_time_but_charged_as_open_gives_back_every_charged_day() -> None:
    # due and concluded Fri 30 Oct; October charged nothing (31 Oct is a Saturday), November
    # charged the case as open for all its 21 working days
    frozen = {"2026-10": month("2026-10"), "2026-11": month("2026-11", overdue=(FINISH,))}
    back = overdue_days_taken_back(
        weekdays_between, date(2026, 10, 30), date(2026, 10, 30), FINISH, CONCLUSION, frozen
    )
    assert back == {"2026-11": 21}


def test_late_conclusion_gives_back_only_the_days_after_it() -> None:
    # due Tue 24 Nov, concluded Thu 26 Nov (2 days late): November charged 25, 26, 27, 30 Nov
    frozen = {"2026-11": month("2026-11", overdue=(FINISH,))}
    back = overdue_days_taken_back(
        weekdays_between, date(2026, 11, 24), date(2026, 11, 26), FINISH, CONCLUSION, frozen
    )
    assert back == {"2026-11": 2}


def test_a_month_that_saw_the_conclusion_owes_nothing() -> None:
    frozen = {"2026-11": month("2026-11", overdue=(FINISH, CONCLUSION))}
    back = overdue_days_taken_back(
        weekdays_between, date(2026, 11, 24), date(2026, 11, 26), FINISH, CONCLUSION, frozen
    )
    assert back == {}


def test_an_entry_is_a_correction_when_its_closed_month_did_not_count_it() -> None:
    frozen = {"2026-11": month("2026-11", "entry:a")}
    assert closed_when_recorded(date(2026, 11, 20), "entry:b", frozen) == "2026-11"
    assert closed_when_recorded(date(2026, 11, 20), "entry:a", frozen) is None
    assert closed_when_recorded(date(2026, 12, 1), "entry:c", frozen) is None
