from __future__ import annotations

from queue_server.queueing.forecast import forecast
from tests.simulation.forecasting import at, small_hall_now


def test_a_quiet_afternoon_ends_before_closing_without_advice() -> None:
    now = small_hall_now(
        at(14, 30),
        waiting={"SOC": 2, "TAX": 1},
        arrived={"SOC": 20, "TAX": 8, "RES": 3},
        usual={"SOC": 30.0, "TAX": 12.0, "RES": 4.0},
    )
    outlook = forecast(now)
    assert outlook.before_closing
    assert outlook.probability_before_closing > 0.9
    assert outlook.predicted_end is not None
    assert outlook.predicted_end < outlook.closing
    assert outlook.advice == ()
    assert "erlang_c" in {p.method for p in outlook.pools}


def test_after_the_last_ticket_the_end_is_now() -> None:
    now = small_hall_now(at(17, 45), waiting={}, arrived={"SOC": 30})
    outlook = forecast(now)
    assert outlook.predicted_end == now.now
    assert outlook.before_closing
