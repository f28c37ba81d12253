"""The migrations and the table classes must describe the same schema.

A table or column added to the classes without a migration (or the other way round) works in
tests that build nothing by hand and then fails on a hall upgrading from last month's version.
"""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from queue_server.storage.schema import full_metadata


def _declared_for(dialect: str) -> Callable[..., bool]:
    """Alembic's filter: leave out what is declared for another engine only (`ddl_if`)."""

    def include(item: object, *_: object) -> bool:
        only = getattr(item, "_ddl_if", None)
        if only is None or only.dialect is None:
            return True
        return dialect in ((only.dialect,) if isinstance(only.dialect, str) else only.dialect)

    return include


def _differences(url: str) -> list[object]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_object": _declared_for(engine.dialect.name)},
            )
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
