"""Is this server ready to serve: the database answers and its schema is the code's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from queue_server.services.database import Database
from queue_server.storage.engine import read_only
from queue_server.storage.migrate import current_revision, head_revision


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reason: str
    revision: str | None = None
    expected: str | None = None


def check_readiness(db: Database) -> Readiness:
    expected = head_revision()
    # Read-only: on SQLite a plain connection begins IMMEDIATE and would queue behind writers.
    engine = read_only(db.engine)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        return Readiness(False, f"the database cannot be reached: {cause}", None, expected)
    if revision != expected:
        return Readiness(
            False,
            f"the database schema is at revision {revision or 'none'}, the code needs "
            f"{expected}: run `hallq db upgrade`",
            revision,
            expected,
        )
    return Readiness(True, "database reachable, migrations current", revision, expected)


# The tables whose reads the queue's plans depend on (docs/deploy.md, "PostgreSQL").
PLANNED_TABLES = ("tickets", "events", "ratings", "windows")


def statistics_left_stale(db: Database) -> list[str]:
    """What keeps PostgreSQL from gathering the planner's statistics, in words; empty when
    autovacuum runs (and always on SQLite, whose plans hallq does not leave to statistics).
    Without them the planner took an index that walks a service's every ticket for each
    ticket issued, from a hall's second month on (docs/benchmarks.md)."""
    if db.engine.dialect.name != "postgresql":
        return []
    found: list[str] = []
    with read_only(db.engine).connect() as connection:
        for setting in ("autovacuum", "track_counts"):
            if connection.execute(text(f"SHOW {setting}")).scalar() != "on":
                found.append(f"{setting} is off")
        off = connection.execute(
            text(
                "SELECT c.relname FROM pg_class c "
                "WHERE c.oid = ANY (CAST(:names AS regclass[])) "
                "AND 'autovacuum_enabled=false' = ANY (coalesce(c.reloptions, '{}')) "
                "ORDER BY c.relname"
            ),
            {"names": list(PLANNED_TABLES)},
        ).scalars()
        found.extend(f"autovacuum is off for the table {name}" for name in off)
    return found
