"""A hall with too little recorded history (fewer outcomes with people ahead than a bucket
needs) tells its visitors the default ranges; the day it has enough, its own fit takes over —
fitted once for the day and kept (the tickets of the day do not change it)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.estimate_calibration import DEFAULT_CALIBRATION, DEFAULT_RESIDUALS
from queue_server.services.attendance import AttendanceService
from queue_server.services.issuing import IssueRequest
from tests.support.auth import clerk_at
from tests.support.estimate_history import (
    DAY_START,
    issued_payload,
    play_history,
    serve_the_rest,
    working_days_before,
)
from tests.support.factories import OPEN_MORNING


def _second_in_line(
    services: Services, clock: ManualClock, clerk: str, day: date
) -> dict[str, Any]:
    hall = services.halls.get("test")
    clock.set(hall.calendar.at(day, DAY_START))
    AttendanceService(services.db, services.halls, clock).sign_in("test", 2, clerk)
    services.queue.issue("test", IssueRequest("TAX"))
    ticket = services.queue.issue("test", IssueRequest("TAX")).ticket
    assert ticket.ahead == 1
    return issued_payload(services, ticket.id)


def test_too_little_history_reads_the_default(services: Services, clock: ManualClock) -> None:
    clerk = clerk_at(services, 2).user_id
    today = OPEN_MORNING.date()
    # 14 days of two queued visitors: 28 outcomes, two short; all called an hour late.
    days = working_days_before(services, "test", today, 15)
    play_history(services, clock, clerk, days[:14], lambda n: 60)
    hall = services.halls.get("test")

    told = _second_in_line(services, clock, clerk, days[14])
    assert services.queue.calibrations.for_hall(hall) is DEFAULT_CALIBRATION
    low, high = DEFAULT_RESIDUALS[1]
    midpoint = told["midpoint"]
    assert told["estimate"] == [max(0, math.floor(midpoint + low)), math.ceil(midpoint + high)]
    assert told["ahead"] == 1

    # That day's two queued visitors (called an hour late too) complete the 30; the fit is
    # for the next day, not this one.
    services.queue.issue("test", IssueRequest("TAX"))
    assert services.queue.calibrations.for_hall(hall) is DEFAULT_CALIBRATION
    clock.advance(timedelta(minutes=90))
    serve_the_rest(services, clock, clerk)
    told = _second_in_line(services, clock, clerk, today)
    fitted = services.queue.calibrations.for_hall(hall)
    assert fitted.source == "hall" and fitted.samples == 30
    assert told["estimate"][0] >= told["midpoint"] + 50  # the hour late the hall has shown
