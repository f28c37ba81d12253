"""The live simulator leaves the windows given to people alone, and its day starts at the
first visitor: someone who just started the demo sees the hall move within seconds."""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG, PERSON_WINDOW
from queue_server.queueing.actions import SignIn
from queue_server.queueing.demand import RatingModel, hall_model
from queue_server.queueing.engine import run_day
from queue_server.queueing.planning import DayPlan, plan_day
from queue_server.simulation.live import live_plan

WEDNESDAY = date(2026, 11, 25)


def test_no_simulated_clerk_works_the_persons_window_and_the_first_visitor_comes_first() -> None:
    config = load_hall_config(EXAMPLE_CONFIG)
    model = hall_model(config, ratings=RatingModel())
    full = plan_day(config, WEDNESDAY, model, 0)
    plan = live_plan(config, model, WEDNESDAY, 0, None, leave=[PERSON_WINDOW])

    assert [w.number for w in plan.windows] == [
        w.number for w in config.windows if w.number != PERSON_WINDOW
    ]
    assert plan.start == full.visitors[0].arrives > full.start
    assert plan.visitors == full.visitors  # nobody is skipped: the day starts at the first
    engine = run_day(plan)
    signed_in: set[int] = set()
    with contextlib.suppress(StopIteration):  # nobody answers: the day runs out quickly
        while True:
            action = engine.send(None)
            if isinstance(action, SignIn):
                signed_in.add(action.window)
    assert signed_in == {w.number for w in plan.windows}


def test_a_given_start_still_wins_and_no_window_is_left_unless_asked() -> None:
    config = load_hall_config(EXAMPLE_CONFIG)
    model = hall_model(config, ratings=RatingModel())
    plan = live_plan(config, model, WEDNESDAY, 0, 10 * 60.0)
    assert plan.start == 600.0
    assert all(v.arrives >= 600.0 for v in plan.visitors)
    assert len(plan.windows) == len(config.windows)


def test_every_clerk_is_at_work_when_the_first_visitor_comes_on_any_day() -> None:
    """A clerk drawn late for the morning left window 6 empty for minutes of real time on
    the demo started just after midnight on 4 December 2026 (seed 0)."""
    config = load_hall_config(EXAMPLE_CONFIG)
    model = hall_model(config, ratings=RatingModel())
    late_somewhere = 0
    for offset in range(60):
        day = date(2026, 11, 1) + timedelta(days=offset)
        plan = live_plan(config, model, day, 0, None, leave=[PERSON_WINDOW])
        full = plan_day(config, plan.day, model, 0)
        late_somewhere += any(w.shifts and w.shifts[0][0] > plan.start for w in full.windows)
        first_sign_in = _first_sign_ins(plan)
        assert first_sign_in == {w.number: plan.instant(plan.start) for w in plan.windows}, day
    assert late_somewhere  # the draw does make clerks late: the rule above is what saves them


def _first_sign_ins(plan: DayPlan) -> dict[int, datetime]:
    engine = run_day(plan)
    first: dict[int, datetime] = {}
    with contextlib.suppress(StopIteration):
        while True:
            action = engine.send(None)
            if isinstance(action, SignIn):
                first.setdefault(action.window, action.at)
    return first
