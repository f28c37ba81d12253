"""Coverage, median error of the midpoint and median width of the wait estimates, per
service and day; a whole-minute range covers the half minute around each end."""

from __future__ import annotations

from datetime import date

from queue_server.domain.estimate_quality import Outcome, per_service, per_service_and_day

MONDAY, TUESDAY = date(2026, 3, 2), date(2026, 3, 3)


def test_figures_per_service_and_day() -> None:
    outcomes = [
        Outcome("SOC", MONDAY, 10, 20, 15.0),  # inside, error 0, width 10
        Outcome("SOC", MONDAY, 10, 20, 20.4),  # inside by rounding, error 5.4
        Outcome("SOC", MONDAY, 0, 4, 9.0),  # outside, error 7, width 4
        Outcome("TAX", MONDAY, 3, 3, 2.6),  # "about 3": inside
        Outcome("SOC", TUESDAY, 5, 9, 4.4),  # outside (below)
    ]
    rows = {(q.service, q.day): q for q in per_service_and_day(outcomes)}
    monday = rows[("SOC", MONDAY)]
    assert monday.called == 3
    assert monday.coverage == 2 / 3
    assert (monday.median_error_minutes, monday.median_width_minutes) == (5.4, 10)
    assert rows[("TAX", MONDAY)].coverage == 1.0
    assert rows[("SOC", TUESDAY)].coverage == 0.0

    period = per_service(outcomes)
    assert [q.service for q in period] == ["SOC", "TAX", ""]
    assert period[-1].called == 5 and period[-1].coverage == 3 / 5


def test_nothing_called_reads_nothing() -> None:
    assert per_service([]) == []
    assert per_service_and_day([]) == []
