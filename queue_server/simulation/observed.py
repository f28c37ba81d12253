"""What the floor would show at one instant of a simulated day, as forecast input.

The benchmark and the tests stop a simulated day at, say, 14:00 and ask the forecast about
the rest; this builds the same HallNow the service layer builds from the database.
"""

from __future__ import annotations

from datetime import datetime

from queue_server.config.models import HallConfig
from queue_server.queueing.forecast import HallNow, ServiceLoad, WaitingTicket, WindowNow
from queue_server.queueing.planning import DayPlan
from queue_server.queueing.records import SERVED, DayResult


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60


def hall_now_at(
    config: HallConfig,
    plan: DayPlan,
    result: DayResult,
    at: datetime,
    *,
    usual_volumes: dict[str, float] | None = None,
) -> HallNow:
    calendar = config.hall.calendar()
    issued = [r for r in result.tickets if r.ticket is not None and r.issued_at <= at]
    waiting = tuple(
        WaitingTicket(r.service, r.issued_at, r.priority)
        for r in issued
        if r.called_at is None or r.called_at > at
    )
    services = []
    for service in config.services:
        mine = [r for r in issued if r.service == service.code]
        samples = [
            _minutes(r.finished_at, r.started_at)
            for r in mine
            if r.outcome == SERVED
            and r.started_at is not None
            and r.finished_at is not None
            and r.finished_at <= at
        ]
        usual = (usual_volumes or {}).get(service.code)
        services.append(
            ServiceLoad.measured(
                service.code, samples, service.default_handling_minutes, len(mine), usual
            )
        )
    windows = []
    for window in config.windows:
        current = next(
            (
                r
                for r in issued
                if r.window == window.number
                and r.called_at is not None
                and r.called_at <= at
                and (r.finished_at is None or r.finished_at > at)
            ),
            None,
        )
        pause = next(
            (p for p in result.pauses if p.window == window.number and p.start <= at < p.end),
            None,
        )
        windows.append(
            WindowNow(
                number=window.number,
                services=dict(window.services),
                busy_service=current.service if current else None,
                busy_minutes=_minutes(at, current.called_at)
                if current and current.called_at
                else 0,
                paused_minutes=_minutes(at, pause.start) if pause else None,
            )
        )
    cutoff = calendar.issue_cutoff(plan.day)
    assert cutoff is not None
    return HallNow(
        now=at,
        timezone=config.hall.timezone,
        sessions=tuple(calendar.session_bounds(plan.day)),
        issue_cutoff=cutoff,
        services=tuple(services),
        waiting=waiting,
        windows=tuple(windows),
        policy=config.call_policy.policy(),
        clerks=plan.clerks,
    )
