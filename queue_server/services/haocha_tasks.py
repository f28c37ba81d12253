"""The 好差评 reporter in the server process: collect and deliver on the hall's pace, in a
worker thread. Started only when a hall has `[haocha] enabled = true`: otherwise polling the
outbox would take the SQLite write lock that issuing waits for, for nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from queue_server.domain.clock import Clock
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry
from queue_server.services.haocha import HaochaReporter

log = logging.getLogger("hallq.haocha")


async def _loop(reporter: HaochaReporter) -> None:
    while True:
        try:
            await asyncio.to_thread(reporter.run_once)
        except Exception:
            # A database restart must not end the loop; the next round tries again.
            log.exception("好差评 reporting round failed; trying again")
        halls = reporter.enabled_halls()
        await asyncio.sleep(min(h.config.haocha.deliver_every_seconds for h in halls))


@asynccontextmanager
async def haocha_tasks(db: Database, halls: HallRegistry, clock: Clock) -> AsyncIterator[None]:
    reporter = HaochaReporter(db, halls, clock)
    task = None
    if reporter.enabled_halls():
        task = asyncio.create_task(_loop(reporter), name="hallq-haocha")
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
        reporter.close()
