"""The hottest writes and reads compiled once per dialect and run on the driver's own cursor.

Every event's INSERT, every ticket's INSERT and the UPDATE of each move at a window cost about
35 µs each through SQLAlchemy's execution (cache key, execution context, result set-up) for
12 µs of work in the driver (issue 22; docs/benchmarks.md). A `PreparedWrite` compiles its
statement once per dialect, passes each parameter through its column type's bind processing
exactly as SQLAlchemy does, and runs it in the session's transaction. A driver error is raised
as SQLAlchemy's own (IntegrityError, OperationalError...), so callers and the hall writer see
what they saw before.

A `PreparedWrite` is only for statements that return nothing, take every value from the caller,
and write no table whose writes are watched with cursor events (services/principals.py watches
the accounts). A `PreparedRead` is a SELECT, or an INSERT or UPDATE ... RETURNING, whose rows
come back as SQLAlchemy would give them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.sql.selectable import CompoundSelect, Select


class _Statement(Protocol):
    @property
    def sql(self) -> str: ...

    def arguments(self, params: Mapping[str, Any]) -> Any: ...


_C = TypeVar("_C", bound=_Statement)


def _on_driver(
    session: Session,
    compiled_for: Callable[[Dialect], _C],
    params: Mapping[str, Any],
    *,
    fetch: bool = False,
) -> tuple[_C, Sequence[Any]]:
    """Runs the statement compiled for the session's dialect on the driver's cursor, in the
    session's transaction; its rows if `fetch`. A driver error is raised as SQLAlchemy's."""
    connection = session.connection()  # begins the transaction as any statement would
    dialect = connection.dialect
    compiled = compiled_for(dialect)
    arguments = compiled.arguments(params)
    driver = connection.connection.dbapi_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.execute(compiled.sql, arguments)
        return compiled, cursor.fetchall() if fetch else []
    except dialect.loaded_dbapi.Error as failed:
        raise DBAPIError.instance(
            compiled.sql, arguments, failed, dialect.loaded_dbapi.Error, dialect=dialect
        ) from failed
    finally:
        cursor.close()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the parameters, in the driver's order if it is positional
    positional: bool
    processors: tuple[Callable[[Any], Any] | None, ...]  # by position in `names`

    def arguments(self, params: Mapping[str, Any]) -> Any:
        values = [
            params[name] if process is None else process(params[name])
            for name, process in zip(self.names, self.processors, strict=True)
        ]
        return values if self.positional else dict(zip(self.names, values, strict=True))


class PreparedWrite:
    """An INSERT or UPDATE whose every value the caller gives by name (`keys`)."""

    def __init__(self, statement: Insert | Update, keys: Sequence[str]) -> None:
        self._statement = statement
        self._keys = tuple(keys)
        self._by_dialect: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        statement = self._statement
        if isinstance(statement, Insert):
            # Without RETURNING the new row's generated key (PostgreSQL adds it otherwise):
            # nobody reads it here.
            statement = statement.inline()
        compiled = statement.compile(dialect=dialect, column_keys=list(self._keys))
        binds = compiled.binds
        if set(binds) != set(self._keys):
            raise ValueError(
                f"a prepared write takes every value from its caller: binds {sorted(binds)}, "
                f"keys {sorted(self._keys)}"
            )
        names = tuple(compiled.positiontup or ()) if compiled.positional else self._keys
        processors = tuple(
            binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
        )
        prepared = _Compiled(compiled.string, names, compiled.positional, processors)
        self._by_dialect[dialect.name] = prepared
        return prepared

    def _for(self, dialect: Dialect) -> _Compiled:
        return self._by_dialect.get(dialect.name) or self._compile(dialect)

    def run(self, session: Session, params: Mapping[str, Any]) -> None:
        _on_driver(session, self._for, params)


@dataclass(frozen=True)
class _CompiledRead:
    sql: str
    names: tuple[str, ...]  # the parameters, in the driver's order if it is positional
    positional: bool
    fixed: Mapping[str, Any]  # the statement's own values (its literals), bind-processed
    processors: Mapping[str, Callable[[Any], Any] | None]  # for the caller's values
    results: tuple[Callable[[Any], Any] | None, ...]  # by column

    def arguments(self, params: Mapping[str, Any]) -> Any:
        values = dict(self.fixed)
        processors = self.processors
        for name, value in params.items():
            if name in processors:  # others are not in the statement: ignored, as SQLAlchemy does
                process = processors[name]
                values[name] = value if process is None else process(value)
        if self.positional:
            return [values[name] for name in self.names]
        return values


class PreparedRead:
    """A SELECT (or an INSERT or UPDATE ... RETURNING) run on the driver's cursor, its rows as
    tuples of the values SQLAlchemy would give (each column's result processing: instants
    come back aware, as the ORM gives them).

    For the reads of every call and ticket (the queue's heads, people ahead): SQLAlchemy's
    execution builds a cache key of the whole statement and an execution context on each run,
    as long as the read itself for a statement of many arms (issue 22). The caller names the
    statement's `bindparam`s; its literals keep their values. Like a Core statement given to
    `Session.execute`, it does not flush the ORM's pending changes first."""

    def __init__(
        self,
        statement: Select[Any] | CompoundSelect | Insert | Update,
        keys: Sequence[str] | None = None,
    ) -> None:
        """`keys`: for an INSERT given no values, the columns the caller gives."""
        self._statement = statement
        self._keys = None if keys is None else list(keys)
        self._by_dialect: dict[str, _CompiledRead] = {}

    def _compile(self, dialect: Dialect) -> _CompiledRead:
        compiled = self._statement.compile(dialect=dialect, column_keys=self._keys)
        # By the name each parameter has in the SQL (a literal's is made up: `state_1`).
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        if any(bind.expanding for bind in binds.values()):
            raise ValueError("a prepared read takes no expanding IN lists")
        processors = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in binds.items()
        }
        own = compiled.construct_params(_check=False)
        fixed: dict[str, Any] = {}
        for name, bind in binds.items():
            if not bind.required:
                process = processors[name]
                fixed[name] = own[name] if process is None else process(own[name])
        names = tuple(compiled.positiontup or ()) if compiled.positional else tuple(binds)
        results = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in self._statement.exported_columns
        )
        prepared = _CompiledRead(
            compiled.string, names, compiled.positional, fixed, processors, results
        )
        self._by_dialect[dialect.name] = prepared
        return prepared

    def _for(self, dialect: Dialect) -> _CompiledRead:
        return self._by_dialect.get(dialect.name) or self._compile(dialect)

    def rows(self, session: Session, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        compiled, fetched = _on_driver(session, self._for, params, fetch=True)
        results = compiled.results
        if not any(results):
            return [tuple(row) for row in fetched]
        return [
            tuple(
                value if process is None else process(value)
                for value, process in zip(row, results, strict=True)
            )
            for row in fetched
        ]
