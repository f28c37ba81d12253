"""Four ticket indexes hold only tickets sent to a window by name, at a window, or finished
(migration 0018), so issuing a ticket writes none of them (issue 22: 20 pages of SQLite's log
an issue became 14-15). Their readers must still find them: each reader's WHERE has to imply
the index's (`window_no = ?` implies `window_no IS NOT NULL`); a reader that lost that term
would walk the hall's tickets instead, unnoticed until a hall has a year of them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from queue_server.services import queries, ratings
from queue_server.storage.engine import make_engine
from queue_server.storage.migrate import upgrade
from tests.support.plans import postgres_plan

PARTIAL = {
    "ix_tickets_pinned": "target_window IS NOT NULL",
    "ix_tickets_window": "window_no IS NOT NULL",
    "ix_tickets_finished": "finished_at IS NOT NULL",
    "ix_tickets_window_called": "called_at IS NOT NULL",
}

VALUES: dict[str, Any] = {
    "hall_id": "demo",
    "hall": "demo",
    "window": 3,
    "service": "SOC",
    "depth": 5,
    "tid": "t1",
    "finished_at": datetime(2026, 12, 7, 2, 0, tzinfo=UTC),
}


def _readers(dialect: str) -> list[tuple[str, Any, tuple[str, ...]]]:
    """(what reads, its statement, the indexes that serve it). The ticket at a window has its
    own index on PostgreSQL (test_a_call_reads_only_the_tickets_at_its_window.py)."""
    pinned = queries._PINNED_SQLITE if dialect == "sqlite" else queries._PINNED
    sqlite = dialect == "sqlite"
    return [
        ("the tickets sent to a window by name", pinned, ("ix_tickets_pinned",)),
        (
            "the ticket at a window",
            queries._CURRENT,
            ("ix_tickets_window",) if sqlite else ("ix_tickets_at_window",),
        ),
        ("a window's last calls", queries._RECENT, ("ix_tickets_window_called",)),
        (
            "a service's handling samples",
            queries._handling_statement(dialect)._statement,
            ("ix_tickets_finished",),
        ),
        (
            # on empty tables either serves; a filled window's is checked with its history
            # (test_a_call_reads_only_the_tickets_at_its_window.py)
            "what a window finished since a rated case",
            ratings._RATING_FACTS,
            ("ix_tickets_window", "ix_tickets_finished"),
        ),
    ]


def _migrated(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


def _expanded(engine: Engine, statement: Any) -> Any:
    """The SQL and its values: the test's for the reader's own names (`VALUES`), the
    literal's otherwise, an IN list expanded into its members."""
    return statement.params(VALUES).compile(dialect=engine.dialect).construct_expanded_state()


def _sqlite_plan(engine: Engine, statement: Any) -> str:
    expanded = _expanded(engine, statement)
    args = [expanded.parameters[key] for key in expanded.positiontup or ()]
    args = [a.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(a, datetime) else a for a in args]
    with engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        rows = cursor.execute(f"EXPLAIN QUERY PLAN {expanded.statement}", args).fetchall()
    return "\n".join(str(row[3]) for row in rows)


def _postgres_plan(engine: Engine, statement: Any) -> str:
    # An empty table costs a scan nothing; the question is which index can serve.
    return postgres_plan(
        engine, statement, VALUES, generic=True, settings=("enable_seqscan = off",)
    )


def _index_definitions(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
            )
        else:
            rows = connection.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = current_schema() AND tablename = 'tickets'"
                )
            )
        return {str(name): str(sql) for name, sql in rows}


def test_it_builds_the_four_indexes_partial(database_url: str) -> None:
    engine = _migrated(database_url)
    try:
        found = _index_definitions(engine)
    finally:
        engine.dispose()
    for name, where in PARTIAL.items():
        assert name in found, sorted(found)
        assert f"WHERE {where}".lower() in found[name].lower().replace("(", "").replace(")", ""), (
            found[name]
        )


def test_sqlite_readers_still_seek_their_index(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        for what, statement, indexes in _readers("sqlite"):
            plan = _sqlite_plan(engine, statement)
            assert any(f"INDEX {index} (hall_id=?" in plan for index in indexes), (what, plan)
    finally:
        engine.dispose()


def test_postgresql_readers_still_seek_their_index(postgres_url: str) -> None:
    engine = _migrated(postgres_url)
    try:
        for what, statement, indexes in _readers("postgresql"):
            plan = _postgres_plan(engine, statement).lower()
            assert any(f"using {index} on tickets" in plan for index in indexes), (what, plan)
    finally:
        engine.dispose()
