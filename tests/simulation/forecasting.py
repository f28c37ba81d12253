"""Floors at a given moment, to ask the forecast about."""

from __future__ import annotations

from datetime import datetime, timedelta

from queue_server.queueing.forecast import HallNow, ServiceLoad, WaitingTicket, WindowNow
from tests.support.factories import local, small_hall

DAY = (2026, 11, 25)  # a Wednesday


def small_hall_now(
    at: datetime,
    *,
    waiting: dict[str, int],
    arrived: dict[str, int],
    usual: dict[str, float] | None = None,
) -> HallNow:
    """The small hall (SOC, TAX, RES on three windows) with queues that formed just now."""
    config = small_hall()
    calendar = config.hall.calendar()
    day = at.date()
    queued = tuple(
        WaitingTicket(code, at - timedelta(minutes=i % 20))
        for code, count in waiting.items()
        for i in range(count)
    )
    cutoff = calendar.issue_cutoff(day)
    assert cutoff is not None
    return HallNow(
        now=at,
        timezone=config.hall.timezone,
        sessions=tuple(calendar.session_bounds(day)),
        issue_cutoff=cutoff,
        services=tuple(
            ServiceLoad(
                s.code,
                s.default_handling_minutes,
                arrived=arrived.get(s.code, 0),
                usual_daily_volume=(usual or {}).get(s.code),
            )
            for s in config.services
        ),
        waiting=queued,
        windows=tuple(WindowNow(w.number, dict(w.services)) for w in config.windows),
        policy=config.call_policy.policy(),
    )


def at(hour: int, minute: int = 0) -> datetime:
    return local(*DAY, hour, minute)
