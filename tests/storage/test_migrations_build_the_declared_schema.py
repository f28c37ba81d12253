"""The migrations and the table classes must describe the same schema.

A table or column added to the classes without a migration (or the other way round) works in
tests that build nothing by hand and then fails on a hall upgrading from last month's version.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from queue_server.storage.schema import full_metadata


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, full_metadata()))
    finally:
        engine.dispose()


def test_it_migrates_sqlite_to_the_declared_tables(sqlite_url: str) -> None:
    assert _differences(sqlite_url) == []


def test_it_migrates_postgresql_to_the_declared_tables(postgres_url: str) -> None:
    from queue_server.storage.engine import make_engine
    from queue_server.storage.migrate import upgrade

    engine = make_engine(postgres_url)
    upgrade(engine)
    engine.dispose()
    assert _differences(postgres_url) == []
