"""The hall in memory: the real call policy over the waiting tickets.

Numbers, daily caps and the order of calls follow the same rules as the service layer
(queue_server.domain), so a day run here and the same day run through QueueService call the
same tickets in the same order. Like the service layer, only the head of each (service,
priority) queue is offered to the policy: it is first-in-first-out inside one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from typing import Any

from queue_server.config.models import HallConfig
from queue_server.domain.call_policy import CallPolicy, Candidate, WindowServices, choose_next
from queue_server.domain.tickets import Priority, format_number
from queue_server.queueing.actions import Action, Called, CallNext, Issue, Issued
from queue_server.queueing.engine import Engine, run_day
from queue_server.queueing.planning import DayPlan
from queue_server.queueing.records import DayResult


class MemoryHall:
    def __init__(
        self,
        windows: Mapping[int, Mapping[str, int]],
        policy: CallPolicy,
        *,
        prefixes: Mapping[str, str] | None = None,
        caps: Mapping[str, int | None] | None = None,
    ) -> None:
        self.windows = {n: WindowServices(n, dict(w)) for n, w in windows.items()}
        self.policy = policy
        self.prefixes = dict(prefixes or {})
        self.caps = dict(caps or {})
        # Tickets are issued in time order, so appending keeps every queue sorted.
        self.queues: dict[tuple[str, Priority], deque[Candidate]] = {}
        self.issued_per_service: dict[str, int] = {}
        self.counters: dict[str, int] = {}
        self.recent: dict[int, list[Priority]] = {n: [] for n in windows}
        self.calls: list[tuple[int, str]] = []  # (window, ticket) in call order

    @classmethod
    def of(cls, config: HallConfig) -> MemoryHall:
        return cls(
            {w.number: w.services for w in config.windows},
            config.call_policy.policy(),
            prefixes={s.code: s.prefix for s in config.services},
            caps={s.code: s.daily_cap for s in config.services},
        )

    def execute(self, action: Action) -> Any:
        if isinstance(action, Issue):
            return self.issue(action)
        if isinstance(action, CallNext):
            return self.call_next(action)
        return True

    def issue(self, action: Issue) -> Issued | None:
        visitor = action.visitor
        count = self.issued_per_service.get(visitor.service, 0) + 1
        cap = self.caps.get(visitor.service)
        if cap is not None and count > cap:
            return None
        self.issued_per_service[visitor.service] = count
        prefix = self.prefixes.get(visitor.service, visitor.service[:1])
        seq = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = seq
        number = format_number(prefix, seq)
        queue = self.queues.setdefault((visitor.service, visitor.priority), deque())
        if queue and queue[-1].order_at > action.at:
            raise ValueError("tickets must be issued in time order")
        queue.append(
            Candidate(
                ticket_id=visitor.key,
                number=number,
                service=visitor.service,
                priority=visitor.priority,
                order_at=action.at,
            )
        )
        return Issued(visitor.key, number)

    @property
    def waiting(self) -> int:
        return sum(len(q) for q in self.queues.values())

    def call_next(self, action: CallNext) -> Called | None:
        recent = self.recent[action.window]
        services = self.windows[action.window]
        heads = [
            q[0] for (service, _), q in self.queues.items() if q and service in services.weights
        ]
        choice = choose_next(heads, services, action.at, self.policy, recent)
        if choice is None:
            return None
        self.queues[(choice.service, choice.priority)].popleft()
        recent.insert(0, choice.priority)
        del recent[8:]
        self.calls.append((action.window, choice.ticket_id))
        return Called(choice.ticket_id, choice.number, choice.service)


def drive(engine: Engine, hall: Any) -> DayResult:
    """Run the engine against anything with `execute(action) -> answer`."""
    answer: Any = None
    try:
        while True:
            answer = hall.execute(engine.send(answer))
    except StopIteration as done:
        result: DayResult = done.value
        return result


def simulate_day(config: HallConfig, plan: DayPlan) -> DayResult:
    """A planned day of this hall, in memory."""
    return drive(run_day(plan), MemoryHall.of(config))
