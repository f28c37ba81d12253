"""A year summed up from its months (DOMAIN.md: yearly summary from the months)."""

from __future__ import annotations

from collections import Counter

from queue_server.domain.month_measures import MonthLine, MonthMeasures, YearSummary


def month_line(m: MonthMeasures) -> MonthLine:
    t = m.totals
    return MonthLine(
        month=m.month,
        issued=t.issued,
        served=t.served,
        no_shows=t.no_shows,
        mean_wait_seconds=t.waiting.mean_seconds,
        mean_handling_seconds=t.handling.mean_seconds,
        service_level=t.service_level,
        satisfaction=t.satisfaction,
        ratings=t.ratings,
        overdue_cases=t.overdue_cases,
        attendance_incidents=len(m.attendance),
    )


def summarise_year(
    hall_id: str, hall_name_zh: str, year: int, months: list[MonthMeasures]
) -> YearSummary:
    lines = [month_line(m) for m in months]
    waits = sum(m.totals.waiting.total_seconds for m in months)
    waited = sum(m.totals.waiting.count for m in months)
    handled = sum(m.totals.handling.count for m in months)
    handling = sum(m.totals.handling.total_seconds for m in months)
    called = sum(m.totals.called for m in months)
    within = sum(m.totals.within_target for m in months)
    ratings = sum(m.totals.ratings for m in months)
    bad = sum(m.totals.dissatisfied for m in months)
    windows: Counter[int] = Counter()
    services: Counter[str] = Counter()
    for m in months:
        for w in m.windows:
            windows[w.window] += w.served
        for s in m.services:
            services[s.service] += s.served
    totals = MonthLine(
        month=str(year),
        issued=sum(line.issued for line in lines),
        served=sum(line.served for line in lines),
        no_shows=sum(line.no_shows for line in lines),
        mean_wait_seconds=waits / waited if waited else None,
        mean_handling_seconds=handling / handled if handled else None,
        service_level=within / called if called else None,
        satisfaction=(ratings - bad) / ratings if ratings else None,
        ratings=ratings,
        overdue_cases=sum(line.overdue_cases for line in lines),
        attendance_incidents=sum(line.attendance_incidents for line in lines),
    )
    return YearSummary(
        hall_id=hall_id,
        hall_name_zh=hall_name_zh,
        year=year,
        months=lines,
        totals=totals,
        window_served=dict(sorted(windows.items())),
        service_served=dict(sorted(services.items())),
    )
