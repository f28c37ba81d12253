"""China's national holidays and make-up working days (调休), from the `holidays` library.

The State Council publishes each year's arrangement (国务院办公厅关于X年部分节假日安排的通知)
around November of the year before; the `holidays` package carries it once released. For a
year it does not carry yet, the statutory days themselves are still known (全国年节及纪念日放假
办法: New Year, the Spring Festival eve and three days, Qingming, Labour Day two days, Dragon
Boat, Mid-Autumn, National Day three days), but not how they are moved or which weekend days
are worked instead. Such a year is reported as *provisional* (server log, `hallq doctor`, the
floor monitor) until the library is upgraded or the hall enters the arrangement itself
(docs/calendar.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

# The span of years computed once per process: far enough back for any retained month, far
# enough ahead for any booking horizon or promised-case deadline.
FIRST_YEAR = 2004
LAST_YEAR = 2040


@dataclass(frozen=True)
class NationalDays:
    holidays: frozenset[date]
    makeup_working_days: frozenset[date]
    # Years whose official arrangement the library carries; other years are provisional.
    official_years: frozenset[int]


@cache
def china() -> NationalDays:
    import holidays
    from holidays.countries.china import ChinaStaticHolidays

    table = holidays.China(years=range(FIRST_YEAR, LAST_YEAR + 1))
    # The library lists the moved days of each year it has a notice for; a year without an
    # entry there only has the statutory days computed from the lunar calendar.
    official = frozenset(
        year
        for year in ChinaStaticHolidays.special_public_holidays
        if FIRST_YEAR <= year <= LAST_YEAR
    )
    workdays = frozenset(
        day for day in table.weekend_workdays if FIRST_YEAR <= day.year <= LAST_YEAR
    )
    return NationalDays(
        holidays=frozenset(table.keys()), makeup_working_days=workdays, official_years=official
    )


def national_days(name: str) -> NationalDays | None:
    """The national calendar a hall follows ("CN"), or None for a hall that lists every day."""
    if name == "CN":
        return china()
    if name == "none":
        return None
    raise ValueError(f"unknown national calendar {name!r} (use CN or none)")
