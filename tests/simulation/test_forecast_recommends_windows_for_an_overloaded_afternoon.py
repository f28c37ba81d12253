from __future__ import annotations

from queue_server.queueing.forecast import ForecastSettings, forecast
from tests.simulation.forecasting import at, small_hall_now


def test_a_long_tax_queue_at_three_asks_for_tax_windows() -> None:
    # TAX: 10-minute cases at window 2 (window 1 gives it a quarter of its attention); the
    # other services are as usual and well within their windows.
    now = small_hall_now(
        at(15),
        waiting={"TAX": 45, "SOC": 2},
        arrived={"SOC": 26, "TAX": 90, "RES": 6},
        usual={"SOC": 40.0, "TAX": 60.0, "RES": 10.0},
    )
    outlook = forecast(now)
    assert outlook.predicted_end is not None and outlook.predicted_end > outlook.closing
    assert not outlook.before_closing
    advised = {a.service: a.extra_windows for a in outlook.advice}
    assert set(advised) == {"TAX"}
    assert advised["TAX"] >= 2
    assert outlook.probability_with_advice is not None
    assert outlook.probability_with_advice >= 0.5
    assert outlook.predicted_end_with_advice is not None
    assert outlook.predicted_end_with_advice <= outlook.closing
    assert "simulation" in {p.method for p in outlook.pools}


def test_the_same_floor_gives_the_same_answer() -> None:
    now = small_hall_now(at(15), waiting={"TAX": 45}, arrived={"TAX": 90})
    settings = ForecastSettings(seed=4, runs=10, advice_runs=6)
    assert forecast(now, settings) == forecast(now, settings)


def test_a_service_no_open_window_serves_gets_a_window() -> None:
    now = small_hall_now(at(15), waiting={"RES": 6}, arrived={"RES": 6})
    # Window 3 (the only RES window) is closed.
    closed = now.__class__(**{**now.__dict__, "windows": now.windows[:2]})
    outlook = forecast(closed)
    assert outlook.predicted_end is None
    assert not outlook.before_closing
    assert {a.service: a.extra_windows for a in outlook.advice} == {"RES": 1}
