"""Replaying what the simulator did, step by step, against the call policy itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from queue_server.domain.call_policy import Candidate, WindowServices, choose_next
from queue_server.domain.tickets import Priority
from queue_server.queueing.actions import (
    Action,
    Called,
    CallNext,
    Finish,
    Issue,
    Issued,
    NoShow,
    Pause,
    Recall,
    Resume,
    SignIn,
    SignOut,
    Start,
)
from queue_server.queueing.engine import run_day
from queue_server.queueing.memory import MemoryHall, drive
from queue_server.queueing.planning import plan_day
from tests.simulation.models import small_model
from tests.support.factories import small_hall


@dataclass
class Spy:
    """Passes actions to the hall and keeps each with its answer, in order."""

    hall: MemoryHall
    log: list[tuple[Action, Any]] = field(default_factory=list)

    def execute(self, action: Action) -> Any:
        answer = self.hall.execute(action)
        self.log.append((action, answer))
        return answer


@pytest.mark.parametrize(
    ("guard", "ratio", "scale"),
    [(20, None, 1.0), (20, None, 1.6), (5, (2, 1), 1.6), (60, (3, 1), 1.3)],
)
def test_every_call_is_the_policys_choice_and_no_ticket_is_called_twice(
    guard: int, ratio: tuple[int, int] | None, scale: float
) -> None:
    config = small_hall(guard=guard, ratio=ratio)
    policy = config.call_policy.policy()
    model = small_model({"SOC": 60 * scale, "TAX": 30 * scale, "RES": 12 * scale})
    plan = plan_day(config, date(2026, 11, 25), model, f"order-{guard}-{ratio}")
    spy = Spy(MemoryHall.of(config))
    result = drive(run_day(plan), spy)

    services = {w.number: WindowServices(w.number, dict(w.services)) for w in config.windows}
    waiting: dict[str, Candidate] = {}
    called: set[str] = set()
    at_window: dict[int, str | None] = {w: None for w in services}
    staffed: set[int] = set()
    paused: set[int] = set()
    recent: dict[int, list[Priority]] = {w: [] for w in services}
    for action, answer in spy.log:
        if isinstance(action, Issue) and isinstance(answer, Issued):
            waiting[answer.ticket] = Candidate(
                answer.ticket,
                answer.number,
                action.visitor.service,
                action.visitor.priority,
                action.at,
            )
        elif isinstance(action, CallNext):
            w = action.window
            assert w in staffed and w not in paused and at_window[w] is None
            expected = choose_next(
                list(waiting.values()), services[w], action.at, policy, recent[w]
            )
            if answer is None:
                assert expected is None
                continue
            assert isinstance(answer, Called)
            assert expected is not None and answer.ticket == expected.ticket_id
            assert answer.ticket not in called
            called.add(answer.ticket)
            recent[w].insert(0, waiting.pop(answer.ticket).priority)
            at_window[w] = answer.ticket
        elif isinstance(action, Start | Recall):
            assert at_window[action.window] == action.ticket
        elif isinstance(action, Finish | NoShow):
            assert at_window[action.window] == action.ticket
            at_window[action.window] = None
        elif isinstance(action, Pause):
            assert at_window[action.window] is None
            paused.add(action.window)
        elif isinstance(action, Resume):
            paused.discard(action.window)
        elif isinstance(action, SignIn):
            staffed.add(action.window)
        elif isinstance(action, SignOut):
            assert at_window[action.window] is None
            staffed.discard(action.window)

    assert not waiting, "every ticket of the day is called"
    assert not staffed, "every clerk signs out at the end of the day"
    assert all(t.called_at is not None and t.called_at >= t.issued_at for t in result.tickets)
    assert len(called) == result.summary.issued
