from __future__ import annotations

from datetime import date

from queue_server.queueing.demand import RatingModel
from queue_server.queueing.memory import simulate_day
from queue_server.queueing.planning import plan_day
from tests.simulation.models import VOLUMES, small_model
from tests.support.factories import small_hall

DAY = date(2026, 11, 25)


def test_the_same_seed_gives_the_same_day() -> None:
    config = small_hall()
    model = small_model(ratings=RatingModel())
    first = simulate_day(config, plan_day(config, DAY, model, 7))
    again = simulate_day(config, plan_day(config, DAY, model, 7))
    assert first == again
    assert first.summary.served > 30


def test_another_seed_gives_another_day() -> None:
    config = small_hall()
    model = small_model()
    first = simulate_day(config, plan_day(config, DAY, model, 7))
    other = simulate_day(config, plan_day(config, DAY, model, 8))
    assert [t.issued_at for t in first.tickets] != [t.issued_at for t in other.tickets]


def test_a_services_visitors_do_not_depend_on_the_others() -> None:
    """Draws are per service: a quieter TAX leaves SOC's visitors exactly as they were."""
    config = small_hall()
    busy = plan_day(config, DAY, small_model(), 3)
    quiet = plan_day(config, DAY, small_model({**VOLUMES, "TAX": 5.0}), 3)
    soc = [v for v in busy.visitors if v.service == "SOC"]
    assert soc == [v for v in quiet.visitors if v.service == "SOC"]


def test_a_closed_day_has_no_visitors() -> None:
    config = small_hall()
    plan = plan_day(config, date(2026, 11, 28), small_model(), 1)  # a Saturday
    assert plan.visitors == ()
    assert simulate_day(config, plan).summary.issued == 0
