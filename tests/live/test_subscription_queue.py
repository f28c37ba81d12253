"""A subscriber's bounded queue: order, overflow, window filter, heartbeats that never claim
more than was sent."""

from __future__ import annotations

from queue_server.live.bus import HEARTBEAT, OVERFLOW, Item, Subscription


def _item(seq: int, window: int | None = None) -> Item:
    return Item(seq, window, f'{{"seq":{seq}}}')


async def test_items_come_out_in_order_then_a_due_heartbeat() -> None:
    queue = Subscription(start=0, window=None, capacity=4)
    queue.beat()
    for seq in (1, 2):
        queue.offer(_item(seq))
    assert await queue.get() == _item(1)
    assert await queue.get() == _item(2)
    assert await queue.get() is HEARTBEAT


async def test_overflow_drops_everything_and_says_so_once() -> None:
    queue = Subscription(start=0, window=None, capacity=2)
    for seq in range(1, 6):
        queue.offer(_item(seq))
    assert len(queue) == 0
    assert await queue.get() is OVERFLOW
    queue.offer(_item(6))
    assert await queue.get() == _item(6)


async def test_window_filter_skips_but_remembers_what_it_saw() -> None:
    queue = Subscription(start=3, window=2, capacity=2)
    for seq, window in [(4, 1), (5, None), (6, 2), (7, 1), (8, 1)]:
        queue.offer(_item(seq, window))
    assert len(queue) == 1  # the others never take room in the queue
    assert queue.seen == 8
    assert await queue.get() == _item(6, 2)
