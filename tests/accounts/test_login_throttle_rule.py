"""The backoff rule itself: free tries, then a doubling pause with a ceiling, forgotten later."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from queue_server.domain.login_throttle import (
    NONE,
    Failures,
    ThrottlePolicy,
    after_failure,
    retry_after,
)

T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
POLICY = ThrottlePolicy()


def fail(times: int, start: datetime = T0) -> Failures:
    failures = NONE
    for i in range(times):
        failures = after_failure(failures, start + timedelta(seconds=i), POLICY)
    return failures


def test_four_failures_cost_nothing() -> None:
    failures = fail(4)
    assert retry_after(failures, T0 + timedelta(seconds=4)) is None


def test_the_pause_doubles_up_to_fifteen_minutes() -> None:
    pauses = []
    failures = NONE
    now = T0
    for _ in range(12):
        failures = after_failure(failures, now, POLICY)
        pauses.append(retry_after(failures, now))
    assert pauses[:4] == [None] * 4
    assert pauses[4:9] == [30, 60, 120, 240, 480]
    assert pauses[-1] == 900


def test_an_old_failure_is_forgotten() -> None:
    failures = after_failure(NONE, T0, POLICY)
    later = after_failure(failures, T0 + timedelta(hours=2), POLICY)
    assert later.count == 1
