"""`hallq backup` and `hallq restore`: a dated copy of the database, and the way back.

SQLite: the online backup API copies a consistent snapshot while the server keeps writing
(readers never block, a writer waits a moment). PostgreSQL: `pg_dump --format=custom`, and
`pg_restore` to bring it back; the password goes through the environment (PGPASSWORD), never
the command line. After a restore the schema is brought to the code's revision and every
hall's event chain is verified, so a damaged or tampered backup is named at once.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from queue_server.storage.engine import make_engine, normalise_url

PREFIX = "hallq-"
SQLITE_SUFFIX = ".sqlite3"
PG_SUFFIX = ".pgdump"


class BackupError(RuntimeError):
    """The backup or restore could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class ChainCheck:
    hall: str
    events: int
    broken_at: int | None
    reason: str | None


@dataclass(frozen=True)
class Restored:
    revision: str | None
    chains: list[ChainCheck]

    @property
    def intact(self) -> bool:
        return all(c.broken_at is None for c in self.chains)


def backup(database_url: str, folder: Path, *, keep: int, now: datetime | None = None) -> Path:
    """Write a dated backup into `folder` and keep only the `keep` newest ones there."""
    if keep < 1:
        raise BackupError("--keep must be at least 1")
    url = make_url(normalise_url(database_url))
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    if url.get_backend_name() == "sqlite":
        target = folder / f"{PREFIX}{stamp}{SQLITE_SUFFIX}"
        _sqlite_backup(_sqlite_path(url), target)
    else:
        target = folder / f"{PREFIX}{stamp}{PG_SUFFIX}"
        _pg_dump(url, target)
    rotate(folder, keep)
    return target


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the `keep` newest backups (by the date in their name); return them."""
    removed = []
    for suffix in (SQLITE_SUFFIX, PG_SUFFIX):
        dated = sorted(folder.glob(f"{PREFIX}*{suffix}"), reverse=True)
        for old in dated[keep:]:
            old.unlink()
            removed.append(old)
    return removed


def restore(backup_file: Path, database_url: str, *, force: bool = False) -> Restored:
    """Load `backup_file` into the database at `database_url`, then migrate and verify."""
    if not backup_file.is_file():
        raise BackupError(f"{backup_file}: no such backup file")
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite":
        if backup_file.suffix != SQLITE_SUFFIX:
            raise BackupError(f"{backup_file} is not a SQLite backup ({SQLITE_SUFFIX})")
        _sqlite_restore(backup_file, _sqlite_path(url), force=force)
    else:
        if backup_file.suffix != PG_SUFFIX:
            raise BackupError(f"{backup_file} is not a PostgreSQL backup ({PG_SUFFIX})")
        _pg_restore(backup_file, url, force=force)
    return _migrate_and_verify(url.render_as_string(hide_password=False))


# ----- SQLite --------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source}: the database file does not exist")
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        dst.close()
        src.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy of {source} fails its integrity check: {check}")
    partial.replace(target)


def _sqlite_restore(backup_file: Path, target: Path, *, force: bool) -> None:
    if target.exists() and _sqlite_has_tables(target) and not force:
        raise BackupError(
            f"{target} already holds a hallq database; stop the server, move it aside "
            "(or pass --force to overwrite it) and restore again"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
        stale.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        check = src.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{backup_file} fails its integrity check: {check}")
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _sqlite_has_tables(path: Path) -> bool:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        return bool(row.fetchone()[0])
    finally:
        connection.close()


# ----- PostgreSQL ----------------------------------------------------------------------------


def libpq_environment(url: URL) -> dict[str, str]:
    """The connection as PG* variables: nothing secret appears in the process list."""
    env = {
        "PGHOST": url.host or "",
        "PGPORT": str(url.port or ""),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "",
        "PGOPTIONS": str(url.query.get("options", "")),
        "PGCONNECT_TIMEOUT": "10",
    }
    return {key: value for key, value in env.items() if value}


def _schema(url: URL) -> str | None:
    """The schema a `-csearch_path=NAME` option confines the database to, if any."""
    options = str(url.query.get("options", ""))
    for part in options.split():
        if part.startswith("-csearch_path="):
            return part.removeprefix("-csearch_path=").split(",")[0].strip('"') or None
    return None


def pg_dump_command(url: URL, target: Path) -> list[str]:
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
    schema = _schema(url)
    if schema:
        command.append(f"--schema={schema}")
    return [*command, f"--file={target}"]


def _pg_dump(url: URL, target: Path) -> None:
    partial = target.with_name(target.name + ".partial")
    _run(pg_dump_command(url, partial), url, "pg_dump")
    partial.replace(target)


def _pg_restore(backup_file: Path, url: URL, *, force: bool) -> None:
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        has_schema = "alembic_version" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if has_schema and not force:
        raise BackupError(
            f"database {url.database} already holds a hallq schema; restore into an empty "
            "database (createdb), or pass --force to replace its objects"
        )
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    if has_schema:
        command += ["--clean", "--if-exists"]
    _run(
        [*command, "--single-transaction", f"--dbname={url.database}", str(backup_file)],
        url,
        "pg_restore",
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed; install the Debian package postgresql-client "
            "(the same major version as the server, or newer)"
        )
    return path


def _run(command: list[str], url: URL, what: str) -> None:
    env: Mapping[str, str] = {**os.environ, **libpq_environment(url)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} failed ({done.returncode}): {done.stderr.strip()}")


# ----- after a restore -----------------------------------------------------------------------


def _migrate_and_verify(database_url: str) -> Restored:
    from queue_server.services.bookings.keys import existing_key
    from queue_server.services.database import Database
    from queue_server.services.event_log import verify_chain
    from queue_server.settings import Settings
    from queue_server.storage.migrate import current_revision, upgrade
    from queue_server.storage.tables import Hall

    engine = make_engine(database_url)
    # The chain key is backed up apart from the database; without it only links are checked.
    key = existing_key(Path(Settings().chain_key_file))
    try:
        upgrade(engine)
        db = Database(engine, chain_key=key)
        chains = []
        with db.read() as session:
            for (hall,) in session.query(Hall.id).order_by(Hall.id):
                count, broken = verify_chain(session, hall, key)
                chains.append(
                    ChainCheck(
                        hall,
                        count,
                        None if broken is None else broken.seq,
                        None if broken is None else broken.reason,
                    )
                )
        return Restored(current_revision(engine), chains)
    finally:
        engine.dispose()
