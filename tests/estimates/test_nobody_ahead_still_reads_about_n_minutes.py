"""Nobody ahead reads "about N minutes" from the windows' state even in a hall whose history
has fitted a wide calibration: the calibration is for queues, and the first in line is not
told a range. The event records the figure and no calibration inputs."""

from __future__ import annotations

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.attendance import AttendanceService
from queue_server.services.issuing import IssueRequest
from tests.support.auth import clerk_at
from tests.support.estimate_history import (
    DAY_START,
    issued_payload,
    play_history,
    working_days_before,
)
from tests.support.factories import OPEN_MORNING


def test_the_first_in_line_is_told_one_figure(services: Services, clock: ManualClock) -> None:
    clerk = clerk_at(services, 2).user_id
    today = OPEN_MORNING.date()
    days = working_days_before(services, "test", today, 15)
    play_history(services, clock, clerk, days, lambda n: 30 + 2 * n)
    hall = services.halls.get("test")
    clock.set(hall.calendar.at(today, DAY_START))
    AttendanceService(services.db, services.halls, clock).sign_in("test", 2, clerk)

    first = services.queue.issue("test", IssueRequest("TAX")).ticket
    assert services.queue.calibrations.for_hall(hall).source == "hall"
    assert first.ahead == 0 and first.estimated_wait is not None
    assert first.estimated_wait.text == "about 1 min"  # window 2 is free
    assert first.estimated_wait.basis == "window_state"
    given = issued_payload(services, first.id)
    assert (given["estimate"], given["about"]) == ([0, 1], 1)
    assert "ahead" not in given and "midpoint" not in given

    second = services.queue.issue("test", IssueRequest("TAX")).ticket
    assert second.estimated_wait is not None and second.estimated_wait.basis == "calibrated"
    assert second.estimated_wait.about_minutes is None
    assert (second.estimated_wait.low_minutes or 0) >= 30
