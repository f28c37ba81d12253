"""The in-process event bus: one feed per hall fans new events out to its subscribers.

A feed is woken with "hall has news" (after a local commit, or by PostgreSQL NOTIFY from another
worker process), reads the new rows from the events table once, renders each to JSON once, and
offers it to every subscriber's bounded queue. Offering never waits: a subscriber whose queue is
full is marked overflowed and resynchronised with a snapshot by its own sender, so one slow
screen never delays the others.

A feed offers items strictly in sequence order and never skips one it has read, so a
subscriber that knows the feed's position when it subscribed needs only to replay up to that
position from the table and then take items from its queue.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

log = logging.getLogger("hallq.live")

FETCH_BATCH = 500
FETCH_RETRY_SECONDS = 1.0
SNAPSHOT_REUSE_SECONDS = 1.0


@dataclass(frozen=True)
class Item:
    """One event as it goes to every subscriber: rendered once, shared by all."""

    seq: int
    window: int | None
    text: str


class _Overflow:
    def __repr__(self) -> str:
        return "OVERFLOW"


OVERFLOW: Final = _Overflow()
"""What `Subscription.get` returns once items were dropped: the sender must resynchronise."""


class _Heartbeat:
    def __repr__(self) -> str:
        return "HEARTBEAT"


HEARTBEAT: Final = _Heartbeat()
"""What `Subscription.get` returns when a heartbeat is due and nothing else is waiting."""

Fetch = Callable[[str, int, int], list[Item]]
"""(hall, after seq, limit) -> the next items in order; runs in a worker thread."""
Snapshotter = Callable[[str], tuple[int, str]]
"""hall -> (last seq, snapshot message text); runs in a worker thread."""


class Subscription:
    """One client's bounded queue, filled by its feed, drained by its sender."""

    def __init__(self, start: int, window: int | None, capacity: int) -> None:
        self.start = start  # the feed's position when subscribed: items begin after it
        self.window = window
        self.seen = start  # last seq offered, including those filtered out by window
        self.overflowed = False
        self._heartbeat_due = False
        self._capacity = capacity
        self._items: deque[Item] = deque()
        self._ready = asyncio.Event()

    def offer(self, item: Item) -> None:
        self.seen = item.seq
        if self.window is not None and item.window != self.window:
            return
        if self.overflowed:
            return
        if len(self._items) >= self._capacity:
            self.overflowed = True
            self._items.clear()
        else:
            self._items.append(item)
        self._ready.set()

    def beat(self) -> None:
        """A heartbeat is due: sent as soon as nothing else waits to be sent."""
        self._heartbeat_due = True
        self._ready.set()

    async def get(self) -> Item | _Overflow | _Heartbeat:
        """The next item; OVERFLOW once after items were dropped; HEARTBEAT when one is due
        and the queue is empty (so its seq never runs ahead of what was sent)."""
        while True:
            if self.overflowed:
                self.overflowed = False
                return OVERFLOW
            if self._items:
                return self._items.popleft()
            if self._heartbeat_due:
                self._heartbeat_due = False
                return HEARTBEAT
            self._ready.clear()
            await self._ready.wait()

    def __len__(self) -> int:
        return len(self._items)


class HallFeed:
    def __init__(self, hall: str, position: int, fetch: Fetch, snapshotter: Snapshotter) -> None:
        self.hall = hall
        self.position = position
        self._fetch = fetch
        self._snapshotter = snapshotter
        self._subscribers: set[Subscription] = set()
        self._wake = asyncio.Event()
        self._snapshot: tuple[float, int, str] | None = None
        self._snapshot_lock = asyncio.Lock()

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    def subscribe(self, window: int | None, capacity: int) -> Subscription:
        subscription = Subscription(self.position, window, capacity)
        self._subscribers.add(subscription)
        # The feed skips reading while nobody listens; catch up now.
        self.wake()
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    def wake(self) -> None:
        self._wake.set()

    def beat(self) -> None:
        for subscription in self._subscribers:
            subscription.beat()

    async def snapshot(self) -> tuple[int, str]:
        """A snapshot at least as new as everything this feed has offered so far.

        Shared between subscribers while still that fresh, so a thousand boards reconnecting
        at once after a restart cost one snapshot, not a thousand.
        """
        needed = self.position
        async with self._snapshot_lock:
            cached = self._snapshot
            if (
                cached is not None
                and cached[1] >= needed
                and time.monotonic() - cached[0] < SNAPSHOT_REUSE_SECONDS
            ):
                return cached[1], cached[2]
            seq, text = await asyncio.to_thread(self._snapshotter, self.hall)
            self._snapshot = (time.monotonic(), seq, text)
            return seq, text

    async def run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            if not self._subscribers:
                continue
            try:
                items = await asyncio.to_thread(self._fetch, self.hall, self.position, FETCH_BATCH)
            except Exception:
                log.exception("reading new events of hall %s failed; retrying", self.hall)
                await asyncio.sleep(FETCH_RETRY_SECONDS)
                self._wake.set()
                continue
            self._fan_out(items)
            if len(items) >= FETCH_BATCH:
                self._wake.set()

    def _fan_out(self, items: Iterable[Item]) -> None:
        subscribers = list(self._subscribers)
        for item in items:
            if item.seq <= self.position:
                continue
            self.position = item.seq
            for subscription in subscribers:
                subscription.offer(item)


class EventBus:
    """All feeds of one worker process, woken from any thread."""

    def __init__(self, fetch: Fetch, snapshotter: Snapshotter) -> None:
        self._fetch = fetch
        self._snapshotter = snapshotter
        self._feeds: dict[str, HallFeed] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self, positions: dict[str, int]) -> None:
        """Begin each hall's feed at its current head: new subscribers replay what is older."""
        self._loop = asyncio.get_running_loop()
        for hall, position in positions.items():
            feed = HallFeed(hall, position, self._fetch, self._snapshotter)
            self._feeds[hall] = feed
            self._tasks.append(asyncio.create_task(feed.run(), name=f"hallq-feed-{hall}"))

    async def stop(self) -> None:
        self._loop = None
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    def feed(self, hall: str) -> HallFeed | None:
        return self._feeds.get(hall)

    def wake(self, hall: str) -> None:
        feed = self._feeds.get(hall)
        if feed is not None:
            feed.wake()

    def wake_all(self) -> None:
        for feed in self._feeds.values():
            feed.wake()

    def beat_all(self) -> None:
        # One timer for every connection of the process, rather than a timeout per wait.
        for feed in self._feeds.values():
            feed.beat()

    def wake_threadsafe(self, hall: str | None = None) -> None:
        """From any thread: a commit listener, the LISTEN thread. Quiet after stop()."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            if hall is None:
                loop.call_soon_threadsafe(self.wake_all)
            else:
                loop.call_soon_threadsafe(self.wake, hall)
        except RuntimeError:
            # The loop closed between the check and the call: the server is shutting down.
            pass
