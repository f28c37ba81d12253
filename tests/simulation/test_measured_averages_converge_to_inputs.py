"""Over many simulated days, what the hall measures comes back to what the model was given."""

from __future__ import annotations

from collections import Counter
from datetime import date
from statistics import fmean

import pytest

from queue_server.queueing.demand import HandlingModel, MeasuredHistory, hall_model
from queue_server.queueing.memory import simulate_day
from queue_server.queueing.planning import day_intervals, plan_day
from queue_server.queueing.records import NO_SHOW, SERVED, DayResult, TicketRecord
from tests.simulation.models import HANDLING, VOLUMES, small_model, working_days
from tests.support.factories import small_hall

DAYS = 150


@pytest.fixture(scope="module")
def days() -> list[DayResult]:
    config = small_hall()
    model = small_model()
    return [
        simulate_day(config, plan_day(config, day, model, "converge"))
        for day in working_days(config, date(2026, 11, 2), DAYS)
    ]


def tickets(days: list[DayResult]) -> list[TicketRecord]:
    return [t for d in days for t in d.tickets]


def test_arrivals_per_service_match_the_daily_volumes(days: list[DayResult]) -> None:
    counts = Counter(t.service for t in tickets(days))
    for code, volume in VOLUMES.items():
        # Poisson: the mean of 150 days is within 4 standard errors.
        tolerance = 4 * (volume / DAYS) ** 0.5
        assert counts[code] / DAYS == pytest.approx(volume, abs=tolerance)


def test_handling_times_average_to_the_model(days: list[DayResult]) -> None:
    for code, mean in HANDLING.items():
        served = [t.handling_minutes for t in tickets(days) if t.service == code]
        measured = [m for m in served if m is not None]
        assert fmean(measured) == pytest.approx(mean, rel=0.05)


def test_green_channel_and_no_show_shares_match(days: list[DayResult]) -> None:
    soc = [t for t in tickets(days) if t.service == "SOC"]
    green = sum(t.priority.value == "green" for t in soc) / len(soc)
    assert green == pytest.approx(0.1, abs=0.02)
    called = [t for t in tickets(days) if t.outcome in (SERVED, NO_SHOW)]
    no_shows = sum(t.outcome == NO_SHOW for t in called) / len(called)
    assert no_shows == pytest.approx(0.04, abs=0.01)


def test_arrivals_follow_the_hourly_profile(days: list[DayResult]) -> None:
    config = small_hall()
    profile = small_model().profile
    _, issuing = day_intervals(config.hall.calendar(), date(2026, 11, 25))
    mass = profile.mass(issuing)
    by_slot = Counter(
        (
            t.issued_at.astimezone(config.hall.calendar().zone).hour * 60
            + 30 * (t.issued_at.minute >= 30)
        )
        for t in tickets(days)
    )
    total = sum(by_slot.values())
    for slot in (9 * 60 + 30, 10 * 60, 11 * 60 + 30, 15 * 60, 17 * 60):
        expected = profile.weight_at(slot) * 30 / mass
        assert by_slot[slot] / total == pytest.approx(expected, rel=0.12)
    # The peaks are the peaks.
    assert by_slot[10 * 60] > 2 * by_slot[11 * 60 + 30]
    assert by_slot[15 * 60] > 2 * by_slot[17 * 60]


def test_measured_history_replaces_the_defaults() -> None:
    config = small_hall()
    samples = [4.0, 5.0, 6.0, 7.0, 8.0, 20.0]
    model = hall_model(
        config,
        history=MeasuredHistory(handling_samples={"TAX": samples}, daily_volumes={"TAX": 33}),
    )
    tax = model.demand["TAX"]
    assert tax.daily_volume == 33
    assert tax.handling.mean_minutes == pytest.approx(fmean(samples))
    assert tax.handling.cv == pytest.approx(HandlingModel.from_samples(samples, tax.handling).cv)
    # A service without history keeps the configuration's default handling time.
    assert model.demand["SOC"].handling.mean_minutes == 6
