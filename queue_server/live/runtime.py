"""The live hall of one worker process: its bus, its wake-up sources and its voice clips."""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from queue_server.domain.clock import Clock
from queue_server.live.bus import EventBus, HallFeed, Item
from queue_server.live.messages import event_text, snapshot_text
from queue_server.live.settings import LiveSettings
from queue_server.services.database import Database
from queue_server.services.event_log import events_after
from queue_server.services.halls import HallRegistry
from queue_server.services.snapshot import take_snapshot
from queue_server.storage.tables import Hall

if TYPE_CHECKING:
    from queue_server.live.pg_listener import PgListener

log = logging.getLogger("hallq.live")


@dataclass(frozen=True)
class Replay:
    upto: int  # every event up to here is in `texts` (or filtered out by window)
    texts: list[str]


LISTEN_READY_SECONDS = 5.0


class LiveHall:
    def __init__(
        self, db: Database, halls: HallRegistry, clock: Clock, settings: LiveSettings
    ) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self.settings = settings
        self.bus = EventBus(self._fetch, self._snapshot)
        self._listener: PgListener | None = None
        # In-process commits wake the feeds at once, on both engines; on PostgreSQL the
        # NOTIFY of the same commit arrives a moment later and finds nothing new.
        db.on_commit(lambda hall, _seq: self.bus.wake_threadsafe(hall))

    def feed(self, hall: str) -> HallFeed | None:
        return self.bus.feed(hall)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        await self.bus.start(await asyncio.to_thread(self._heads))
        if self.db.is_postgres:
            # Imported here: psycopg is only installed with the `postgres` extra.
            from queue_server.live.pg_listener import PgListener, conninfo

            self._listener = PgListener(
                conninfo(self.db.engine.url),
                on_news=self.bus.wake_threadsafe,
                on_connected=self.bus.wake_threadsafe,
            )
            self._listener.start()
            if not await asyncio.to_thread(self._listener.listening.wait, LISTEN_READY_SECONDS):
                log.warning("LISTEN is not up yet; other workers' events arrive once it is")
        ticker = asyncio.create_task(self._tick(), name="hallq-live-tick")
        self._build_voice_in_background()
        try:
            yield
        finally:
            ticker.cancel()
            with suppress(asyncio.CancelledError):
                await ticker
            if self._listener is not None:
                await asyncio.to_thread(self._listener.stop)
            await self.bus.stop()

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_seconds)
            self.bus.beat_all()
            # A safety net under NOTIFY: a notice lost while LISTEN reconnected is picked up.
            self.bus.wake_all()

    # ----- reads, in worker threads ----------------------------------------------------

    def _heads(self) -> dict[str, int]:
        ids = [h.id for h in self.halls.all()]
        with self.db.read() as session:
            rows = session.execute(select(Hall.id, Hall.last_seq).where(Hall.id.in_(ids)))
            return {hall: int(seq) for hall, seq in rows}

    def _fetch(self, hall: str, after: int, limit: int) -> list[Item]:
        with self.db.read() as session:
            return [
                Item(row.seq, row.window_no, event_text(row))
                for row in events_after(session, hall, after, limit)
            ]

    def replay(self, hall: str, after: int, limit: int, window: int | None) -> Replay | None:
        """What a client that saw everything up to `after` missed, marked as replayed; None
        when that is more than `limit` events or `after` lies beyond the end of the log (the
        client remembers another database), so a snapshot serves it better."""
        with self.db.read() as session:
            head = session.get(Hall, hall)
            last = head.last_seq if head is not None else 0
            if after > last or last - after > limit:
                return None
            rows = events_after(session, hall, after, limit)
            texts = [
                event_text(row, replay=True)
                for row in rows
                if row.seq <= last and (window is None or row.window_no == window)
            ]
            return Replay(upto=last, texts=texts)

    def _snapshot(self, hall: str) -> tuple[int, str]:
        snapshot = take_snapshot(self.db, self.halls, self.clock, hall)
        return snapshot.last_seq, snapshot_text(snapshot)

    # ----- voice clips -----------------------------------------------------------------

    def _build_voice_in_background(self) -> None:
        if not self.settings.voice_autobuild or shutil.which("espeak-ng") is None:
            return
        threading.Thread(target=self._build_voice, name="hallq-voice-build", daemon=True).start()

    def _build_voice(self) -> None:
        from queue_server.voice import generate_clips

        try:
            generate_clips(self.settings.voice_dir)
        except Exception:
            log.exception("building voice clips in %s failed", self.settings.voice_dir)
