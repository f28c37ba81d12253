"""Engines for the two supported databases and their differences.

SQLite (the embedded default): WAL so readers never block the writer, busy_timeout so a
writer waits for the lock instead of failing at once, synchronous=FULL (below), and write
transactions begun IMMEDIATE: a deferred transaction that reads and then tries to
write can fail with "database is locked" when another writer got there first, whereas an
immediate one takes the write lock up front and simply waits its turn.

PostgreSQL: psycopg 3; row locks (FOR UPDATE / SKIP LOCKED) do the serialising. A pooled
connection is pinged before use only when it has sat idle (`_ping_when_idle`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import CursorResult, Result, make_url
from sqlalchemy.exc import InvalidatePoolError

READ_ONLY = "hallq_read_only"
DEFAULT_SQLITE_BUSY_MS = 10_000
# A PostgreSQL connection back in the pool for longer than this is pinged before its next use.
IDLE_PING_SECONDS = 10.0
_IDLE_SINCE = "hallq_idle_since"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def normalise_url(url: str) -> str:
    """Accept postgresql:// and postgres:// and use the psycopg 3 driver for them.

    libpq's multi-host form (`postgresql://u@db1:5432,db2:5432/db?target_session_attrs=
    read-write`, how a city names its primary and standby) is not a URL SQLAlchemy parses;
    it becomes `?host=db1:5432&host=db2:5432`, which the psycopg dialect hands back to libpq
    as a host list, so a connection finds whichever server is the writable one.
    """
    parsed = make_url(_multi_host_to_query(url))
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _multi_host_to_query(url: str) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    userinfo, at, hosts = netloc.rpartition("@")
    if "," not in hosts:
        return url
    extra = "&".join(f"host={quote(host.strip(), safe=':[]')}" for host in hosts.split(","))
    query = f"{extra}&{query}" if query else extra
    return urlunsplit((scheme, f"{userinfo}{at}", path, query, fragment))


def make_engine(
    url: str, *, pool_size: int = 20, idle_ping_seconds: float = IDLE_PING_SECONDS
) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, parsed.database)
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=30,
        connect_args={"connect_timeout": 5},
    )
    _ping_when_idle(engine, idle_ping_seconds)
    return engine


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection before use only if it sat in the pool `idle_seconds` or more.

    SQLAlchemy's `pool_pre_ping` pinged before every use: one round trip of each request,
    a tenth of an issued ticket in-process (issue 22). A connection used a moment ago is
    alive unless the server went away in that moment; then its first statement fails
    (`Database` answers 503, the clients retry) and the pool drops every connection made
    before, as it does after a failed ping. A failed ping drops them all too: a restarted
    or promoted server has closed every one."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection: Any, record: Any) -> None:
        if dbapi_connection is not None:
            record.info[_IDLE_SINCE] = (id(dbapi_connection), time.monotonic())

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_IDLE_SINCE)
        if since is None or since[0] != id(dbapi_connection):
            return  # made for this checkout
        if time.monotonic() - since[1] < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise InvalidatePoolError(str(error)) from error
            raise


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    busy_ms = int(os.environ.get("HALLQ_SQLITE_BUSY_MS", DEFAULT_SQLITE_BUSY_MS))
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_ms / 1000},
        pool_size=20,
        max_overflow=20,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        # FULL: a commit is on disk before the number is given out. With WAL, NORMAL keeps
        # the file sound but lets a power cut (or the OS crashing) take back the last
        # commits: a number already printed on a receipt would be issued again after the
        # restart. One fsync a commit, and the hall writer commits a batch at once
        # (0.38 ms a commit on the development machine, docs/reliability.md).
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def read_only(engine: Engine) -> Engine:
    """The same pool, but transactions that only read (deferred BEGIN on SQLite)."""
    return engine.execution_options(**{READ_ONLY: True})


def rows_changed(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE touched (`Session.execute` is typed as a plain Result)."""
    return cast(CursorResult[Any], result).rowcount
