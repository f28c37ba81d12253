"""The one clock of a hall server.

Every rule takes "now" from an injected clock so that tests and the simulator can run a whole
day in seconds; nothing in hallq reads the wall clock directly (ARCHITECTURE.md, Time).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; thread-safe because uvicorn serves from threads."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("ManualClock.set needs a timezone-aware instant")
        with self._lock:
            self._now = instant.astimezone(UTC)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


class AcceleratedClock:
    """Runs `factor` times faster than real time from `start`; used to compress a hall day."""

    def __init__(self, start: datetime, factor: float, real: Clock | None = None) -> None:
        self._start = start.astimezone(UTC)
        self._factor = factor
        self._real = real or SystemClock()
        self._real_start = self._real.now()

    def now(self) -> datetime:
        elapsed = self._real.now() - self._real_start
        return self._start + elapsed * self._factor
