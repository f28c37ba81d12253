"""China's holidays and make-up working days (调休) come from the `holidays` library, not from a
list typed into each hall file (DOMAIN.md, Opening hours; docs/calendar.md)."""

from __future__ import annotations

from datetime import date

from queue_server.config import HallConfig
from tests.support.factories import example_hall


def example_calendar(**hall: object) -> HallConfig:
    return example_hall(**hall)


def test_the_2026_spring_festival_is_closed_and_its_make_up_saturdays_are_open() -> None:
    calendar = example_calendar().hall.calendar()
    for day in (16, 17, 18, 19, 20, 23):
        assert not calendar.is_working_day(date(2026, 2, day)), f"2026-02-{day}"
    assert calendar.is_working_day(date(2026, 2, 14))  # Saturday worked for the holiday
    assert calendar.is_working_day(date(2026, 2, 28))
    assert calendar.is_working_day(date(2026, 2, 24))  # the Tuesday after: back at work


def test_national_day_week_and_its_make_up_days() -> None:
    calendar = example_calendar().hall.calendar()
    assert [d for d in range(1, 11) if calendar.is_working_day(date(2026, 10, d))] == [8, 9, 10]
    assert calendar.is_working_day(date(2026, 9, 20))  # a Sunday worked for National Day


def test_a_promised_deadline_skips_the_national_holiday() -> None:
    calendar = example_calendar().hall.calendar()
    # Friday 30 Sep 2026 + 3 working days: 8, 9 and 10 October (a make-up Saturday).
    assert calendar.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)


def test_the_halls_own_days_win_over_the_national_table() -> None:
    calendar = example_calendar(
        holidays=["2026-03-16", "2026-10-10"],  # a move; and it does not work that Saturday
        makeup_working_days=["2026-10-08"],
    ).hall.calendar()
    assert not calendar.is_working_day(date(2026, 3, 16))
    assert not calendar.is_working_day(date(2026, 10, 10))
    assert calendar.is_working_day(date(2026, 10, 8))
    assert not calendar.is_working_day(date(2026, 10, 7))  # the rest of the table stays


def test_a_hall_without_the_national_calendar_keeps_only_its_own_days() -> None:
    calendar = example_calendar(national_calendar="none").hall.calendar()
    assert calendar.is_working_day(date(2026, 10, 1))  # a Thursday, nothing listed
    assert not calendar.is_provisional(2040)


def test_a_year_the_library_has_no_notice_for_is_provisional_but_keeps_statutory_days() -> None:
    calendar = example_calendar().hall.calendar()
    assert not calendar.is_provisional(2026)
    assert calendar.is_provisional(2040)
    assert not calendar.is_working_day(date(2040, 10, 1))  # National Day is in the law
    assert not calendar.is_working_day(date(2040, 5, 1))
    # From December, the coming year's deadlines and bookings are in reach.
    assert 2040 in calendar.provisional_years(date(2039, 12, 1))
    assert 2040 not in calendar.provisional_years(date(2039, 6, 1))


def test_a_year_the_hall_entered_itself_is_no_longer_provisional() -> None:
    calendar = example_calendar(
        makeup_working_days=["2040-09-29"], calendar_confirmed_years=[2040]
    ).hall.calendar()
    assert not calendar.is_provisional(2040)
    assert calendar.is_working_day(date(2040, 9, 29))


def test_a_day_listed_both_closed_and_open_is_refused() -> None:
    import pytest

    from queue_server.config import ConfigError

    with pytest.raises(ConfigError, match="2026-10-08 is in both"):
        example_calendar(holidays=["2026-10-08"], makeup_working_days=["2026-10-08"])
