"""PostgreSQL LISTEN on a dedicated connection: how a worker hears of other workers' commits.

event_log.append_event NOTIFYs "hall:seq" inside the writing transaction, so PostgreSQL
delivers it only once the rows are committed and readable. The payload only says which hall
has news; the feed then reads the rows themselves from the events table.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.engine import URL

from queue_server.services.event_log import NOTIFY_CHANNEL

log = logging.getLogger("hallq.live")

POLL_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 10.0


def conninfo(url: URL) -> str:
    """libpq connection string of a SQLAlchemy URL, built the way the engine's dialect builds
    its own (query options such as search_path kept).

    A multi-host URL (`?host=db1:5432&host=db2:5432&target_session_attrs=read-write`) must
    become libpq's host and port lists: rendered back as a URI it would name one host, and
    after a failover LISTEN would keep knocking on the stopped primary.
    """
    dialect = PGDialect_psycopg()
    _args, params = dialect.create_connect_args(url)
    params.pop("context", None)
    return make_conninfo(**{key: str(value) for key, value in params.items()})


class PgListener:
    def __init__(
        self,
        dsn: str,
        on_news: Callable[[str], None],
        on_connected: Callable[[], None],
    ) -> None:
        self._dsn = dsn
        self._on_news = on_news
        # Called after every (re)connect: NOTIFYs sent while nobody listened are lost for good.
        self._on_connected = on_connected
        self._stop = threading.Event()
        self.listening = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hallq-pg-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=POLL_SECONDS * 4)

    def _run(self) -> None:
        backoff = POLL_SECONDS
        while not self._stop.is_set():
            try:
                self._listen()
                backoff = POLL_SECONDS
            except psycopg.Error as exc:
                self.listening.clear()
                log.warning("LISTEN connection lost (%s); retrying in %.1f s", exc, backoff)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._dsn, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self.listening.set()
            self._on_connected()
            while not self._stop.is_set():
                # Each notice is passed on as it arrives; the timeout only lets stop() in.
                for notice in conn.notifies(timeout=POLL_SECONDS):
                    self._on_news(notice.payload.partition(":")[0])
