"""The booking service's background work in the server process: the sweep (no-shows,
reminders) and webhook delivery, each on its own pace, in worker threads."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress

from queue_server.services.bookings.reminders import (
    queue_day_before_reminders,
    queue_near_front_reminders,
)
from queue_server.services.bookings.service import BookingService
from queue_server.services.bookings.webhooks import WebhookDispatcher

log = logging.getLogger("hallq.bookings")


def sweep(bookings: BookingService) -> None:
    """One round for every hall: no-shows, then reminders to queue."""
    now = bookings.clock.now()
    for hall in bookings.halls.all():
        # Also after a hall turned the SMS check off: holds made before must still lapse.
        bookings.expire_holds(hall.id)
        bookings.mark_no_shows(hall.id)
        queue_day_before_reminders(bookings.db, hall, now)
        queue_near_front_reminders(bookings.db, hall, now)


async def _every(seconds: Callable[[], float], work: Callable[[], object], name: str) -> None:
    while True:
        try:
            await asyncio.to_thread(work)
        except Exception:
            # A database restart must not end the loop; the next round tries again.
            log.exception("%s failed; trying again in %s s", name, seconds())
        await asyncio.sleep(seconds())


@asynccontextmanager
async def booking_tasks(bookings: BookingService) -> AsyncIterator[None]:
    tasks = [
        asyncio.create_task(
            _every(lambda: bookings.sweep_every, lambda: sweep(bookings), "booking sweep"),
            name="hallq-booking-sweep",
        )
    ]
    # Without a webhook_url nothing is ever queued for delivery; polling the outbox would
    # still take the SQLite write lock that issuing waits for, every few seconds.
    dispatcher = None
    if any(h.config.appointments.webhook_url for h in bookings.halls.all()):
        dispatcher = WebhookDispatcher(
            bookings.db, bookings.halls, bookings.clock, code_of=bookings.sms_code_of
        )
        tasks.append(
            asyncio.create_task(
                _every(lambda: bookings.deliver_every, dispatcher.deliver_due, "webhook delivery"),
                name="hallq-webhooks",
            )
        )
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with suppress(asyncio.CancelledError):
                await task
        if dispatcher is not None:
            dispatcher.close()
