"""Runs the alert rules inside the server's lifespan: soon after every committed event of
this process, and on a tick for what only time changes (a wait growing past its target, a
pause running over, a device falling silent)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from queue_server.services.alerts import AlertService

log = logging.getLogger("hallq.alerts")

SETTLE_SECONDS = 0.05  # a burst of events is judged once
# At most this often on events: a busy hall's issuing must not pay for judging the floor
# after each ticket; the floor monitor's own reads judge it too, so it stays current.
EVENT_INTERVAL_SECONDS = 0.5


class AlertWatch:
    def __init__(self, alerts: AlertService) -> None:
        self.alerts = alerts
        self._loop: asyncio.AbstractEventLoop | None = None
        self._dirty: set[str] = set()
        self._wake: asyncio.Event | None = None
        alerts.db.on_commit(self._on_commit)

    def _on_commit(self, hall: str, _seq: int) -> None:
        loop, wake = self._loop, self._wake
        if loop is None or wake is None or loop.is_closed():
            return
        self._dirty.add(hall)
        with suppress(RuntimeError):  # the loop is shutting down
            loop.call_soon_threadsafe(wake.set)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        task = asyncio.create_task(self._run(), name="hallq-alert-watch")
        try:
            yield
        finally:
            self._loop = None
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    def _tick_seconds(self) -> float:
        halls = self.alerts.halls.all()
        return min((h.config.floor.tick_seconds for h in halls), default=5.0)

    async def _run(self) -> None:
        assert self._wake is not None
        tick = self._tick_seconds()
        loop = asyncio.get_running_loop()
        everything = [h.id for h in self.alerts.halls.all()]
        await self._evaluate(everything)
        last_full = loop.time()
        while True:
            remaining = max(0.0, tick - (loop.time() - last_full))
            # Not asyncio.wait_for: on Python 3.11 it returns the wait's result instead of
            # raising when the task is cancelled in the loop turn that wakes it (a commit just
            # before the server stops). The cancellation was lost, this loop ran on, and the
            # server's shutdown waited for it for good (seen in CI as a test server that did
            # not stop).
            try:
                async with asyncio.timeout(remaining):
                    await self._wake.wait()
            except TimeoutError:
                pass
            else:
                await asyncio.sleep(SETTLE_SECONDS)
            self._wake.clear()
            if loop.time() - last_full >= tick:
                self._dirty.clear()
                await self._evaluate(everything)
                last_full = loop.time()
            elif self._dirty:
                halls, self._dirty = sorted(self._dirty), set()
                await self._evaluate(halls)
                await asyncio.sleep(EVENT_INTERVAL_SECONDS)

    async def _evaluate(self, halls: list[str]) -> None:
        for hall in halls:
            try:
                await asyncio.to_thread(self.alerts.evaluate, hall)
            except Exception:
                # A database hiccup must not stop the watch; the next tick tries again.
                log.exception("evaluating the alerts of hall %s failed", hall)
