"""The month's measures raise on an event they have no handler for, instead of leaving it
out of the assessment without a sound."""

from __future__ import annotations

from datetime import timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.events import EventKind
from queue_server.domain.month_pass import (
    MEASURED_KINDS,
    EventRecord,
    MonthAccumulator,
    MonthContext,
    UnmeasuredKind,
)


def accumulator(services: Services) -> MonthAccumulator:
    [hall] = services.halls.all()
    today = hall.calendar.business_day(services.clock.now())
    context = MonthContext(
        hall_id=hall.id,
        hall_name_zh=hall.config.hall.name.zh,
        calendar=hall.calendar,
        first_day=today.replace(day=1),
        last_day=today + timedelta(days=1),
        as_of=today,
        services=[],
        windows=[],
    )
    return MonthAccumulator(context)


def record(services: Services, kind: str) -> EventRecord:
    return EventRecord(1, kind, services.clock.now(), None, 1, None, {})


@pytest.mark.parametrize("kind", ["window.opened", "ticket.calld"])
def test_an_unhandled_kind_raises(services: Services, kind: str) -> None:
    assert kind not in MEASURED_KINDS
    with pytest.raises(UnmeasuredKind, match=kind):
        accumulator(services).add(record(services, kind))


def test_a_measured_kind_is_counted(services: Services) -> None:
    month = accumulator(services)
    month.add(record(services, EventKind.WINDOW_RESUMED.value))
    assert month.events == 1
