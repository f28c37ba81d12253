"""The alert watch stops when the server stops, even if a commit woke it in the same turn of
the event loop. On Python 3.11 `asyncio.wait_for` returns the awaited result instead of
raising when its task is cancelled as that result arrives: the watch lost its cancellation,
looped on, and the server's lifespan waited for it for good. CI saw it as a console test's
server that did not stop in 20 s, the tasks of its loop naming the watch
(tests/support/live_server.py)."""

from __future__ import annotations

import asyncio

from queue_server.services.alert_watch import AlertWatch
from tests.support.factories import make_services, small_hall


async def _woken_and_stopped_in_one_turn(watch: AlertWatch) -> None:
    async with watch.running():
        wake = watch._wake
        assert wake is not None
        # Until the watch waits for a wake (after its first look at every hall).
        for _ in range(500):
            if wake._waiters:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.01)
        assert wake._waiters, "the watch never came to wait"  # type: ignore[attr-defined]
        wake.set()  # a commit's wake-up; leaving the block cancels the watch in this turn


async def _stops_in_time(watch: AlertWatch) -> bool:
    """Whether leaving `running()` ends within 5 s (it takes milliseconds; lost, it never
    ends). `asyncio.wait` neither cancels the scenario nor swallows anything."""
    scenario = asyncio.create_task(_woken_and_stopped_in_one_turn(watch))
    done, _ = await asyncio.wait({scenario}, timeout=5)
    return scenario in done


def test_a_wake_in_the_turn_of_the_stop_does_not_keep_the_watch_running(sqlite_url: str) -> None:
    services = make_services(sqlite_url, small_hall())
    try:
        for attempt in range(3):
            watch = AlertWatch(services.alerts)
            # asyncio.run cancels whatever is left running at its end.
            assert asyncio.run(_stops_in_time(watch)), f"the watch ran on (attempt {attempt})"
    finally:
        services.db.engine.dispose()
