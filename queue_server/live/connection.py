"""One websocket client of the event stream: catch it up, then keep it current.

    connect with since=N  -> a heartbeat (the server's time), the events after N in order
                             (marked "replay"), then live ones
    no since, N unknown,
    or too far behind     -> a snapshot, then live events after it
    queue overflowed      -> a snapshot, then live events after it
    nothing to say        -> a heartbeat every `heartbeat_seconds` carrying the last seq

The client may send {"type": "ping"} (answered with a pong); anything else is answered with an
error message, and a message over `max_client_message` bytes closes the connection (1009).
"""

from __future__ import annotations

import asyncio
import json
from contextlib import suppress

from starlette.websockets import WebSocket, WebSocketDisconnect

from queue_server.live.bus import HEARTBEAT, OVERFLOW, HallFeed, Item, Subscription
from queue_server.live.messages import error_text, heartbeat_text
from queue_server.live.runtime import LiveHall

CLOSE_TOO_BIG = 1009
CLOSE_POLICY = 1008
MAX_BAD_MESSAGES = 20


class Connection:
    def __init__(
        self, websocket: WebSocket, live: LiveHall, feed: HallFeed, window: int | None
    ) -> None:
        self.ws = websocket
        self.live = live
        self.feed = feed
        self.window = window
        self.settings = live.settings
        self._send_lock = asyncio.Lock()

    async def serve(self, since: int | None) -> None:
        subscription = self.feed.subscribe(self.window, self.settings.queue_size)
        sender = asyncio.create_task(self._send_loop(subscription, since))
        receiver = asyncio.create_task(self._receive_loop())
        try:
            done, _ = await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                # A vanished client is the normal way for a stream to end.
                with suppress(WebSocketDisconnect, RuntimeError, OSError):
                    task.result()
        finally:
            self.feed.unsubscribe(subscription)
            for task in (sender, receiver):
                task.cancel()
            await asyncio.gather(sender, receiver, return_exceptions=True)

    async def send(self, text: str) -> None:
        async with self._send_lock:
            await self.ws.send_text(text)

    # ----- towards the client -------------------------------------------------------------

    async def _send_loop(self, subscription: Subscription, since: int | None) -> None:
        last = await self._catch_up(since)
        while True:
            item = await subscription.get()
            if item is HEARTBEAT:
                last = max(last, subscription.seen)
                await self.send(heartbeat_text(last, self.live.clock.now()))
            elif item is OVERFLOW:
                last = await self._send_snapshot()
            elif isinstance(item, Item) and item.seq > last:
                await self.send(item.text)
                last = item.seq

    async def _catch_up(self, since: int | None) -> int:
        if since is None:
            return await self._send_snapshot()
        replay = await asyncio.to_thread(
            self.live.replay, self.feed.hall, since, self.settings.replay_limit, self.window
        )
        if replay is None:
            return await self._send_snapshot()
        # The server's time first, so a screen can tell how old each replayed event is
        # (a call from ten minutes ago is shown, not announced).
        await self.send(heartbeat_text(since, self.live.clock.now()))
        for text in replay.texts:
            await self.send(text)
        # The queue holds everything after the feed's position at subscription; whatever of
        # it the replay already covered is skipped by sequence number.
        return replay.upto

    async def _send_snapshot(self) -> int:
        seq, text = await self.feed.snapshot()
        await self.send(text)
        return seq

    # ----- from the client ----------------------------------------------------------------

    async def _receive_loop(self) -> None:
        bad = 0
        limit = self.settings.max_client_message
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            text: str | None = message.get("text")
            size = len(text.encode()) if text is not None else len(message.get("bytes") or b"")
            if size > limit:
                await self.ws.close(CLOSE_TOO_BIG, f"messages are limited to {limit} bytes")
                return
            if text is not None and _is_ping(text):
                await self.send('{"type":"pong"}')
                continue
            bad += 1
            if bad > MAX_BAD_MESSAGES:
                await self.ws.close(CLOSE_POLICY, "too many invalid messages")
                return
            await self.send(
                error_text(
                    "invalid_message",
                    'this stream only accepts {"type": "ping"}; it sends, it does not listen',
                )
            )


def _is_ping(text: str) -> bool:
    try:
        body = json.loads(text)
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("type") == "ping"
