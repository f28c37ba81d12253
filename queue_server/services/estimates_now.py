"""The state of the windows a visitor with nobody ahead waits for (domain/estimate.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from queue_server.domain.call_policy import is_tier_zero
from queue_server.domain.estimate import WindowState
from queue_server.queueing.forecast_inputs import WindowNow
from queue_server.services.halls import HallContext
from queue_server.services.queries import others_waiting


def window_states(
    session: Session,
    hall: HallContext,
    service: str,
    now: datetime,
    ticket_id: str,
    open_windows: Iterable[WindowNow],
) -> list[WindowState]:
    """Of the `open_windows` (services/forecast.py `windows_now`), those serving `service`:
    paused or not, busy for how long, and how many waiting tickets of other services each
    would call first (priority traffic and tickets past the guard, services it weighs
    higher, tickets sent to it by name)."""
    windows = [w for w in open_windows if service in w.services]
    if not windows:
        return []
    others = others_waiting(session, hall.id, ticket_id)
    states = []
    for window in windows:
        mine = window.services[service]
        before = 0
        for other in others:
            if other.target_window is not None:
                before += other.target_window == window.number
            elif other.service != service and other.service in window.services:
                first = is_tier_zero(other, now, hall.policy)
                before += first or window.services[other.service] > mine
        states.append(
            WindowState(
                paused=window.paused_minutes is not None,
                busy_minutes=window.busy_minutes if window.busy_service is not None else None,
                before=before,
            )
        )
    return states
