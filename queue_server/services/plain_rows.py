"""A Core SELECT read through the driver's own cursor, in batches of plain tuples.

For the passes over a whole month of the log (hundreds of thousands of rows): SQLAlchemy's
`Row` costs about a microsecond per row on top of the driver, as much as reading the row
from SQLite itself. The statement is compiled by SQLAlchemy as usual and its parameters go
through their types' bind processing; the result columns get no result processing, so the
caller selects columns the driver already returns as it needs them (text, numbers; on
PostgreSQL aware datetimes). On PostgreSQL the rows come from a server-side cursor, so the
month is never held in memory at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator, Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import Select

_names = itertools.count()


def plain_batches(
    connection: Connection, statement: Select[Any], size: int
) -> Generator[Sequence[tuple[Any, ...]]]:
    """Run `statement` in `connection`'s transaction; yield its rows, `size` at a time.

    IN lists must be literal (`bindparam(..., literal_execute=True)`) or plain values that
    need no bind processing: an expanded list's values are passed as they are."""
    dialect = connection.dialect
    compiled = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    values = compiled.construct_params()
    for name, bind in compiled.binds.items():
        if name in values:
            # The dialect's own type: a TypeDecorator's `bind_processor` applies its
            # `process_bind_param` and the generic impl's, so an instant reached SQLite as a
            # datetime, through the adapter Python 3.12 deprecated, not as the text it stores.
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                values[name] = processor(values[name])
    params: Any = (
        [values[name] for name in compiled.positiontup or ()] if compiled.positional else values
    )
    driver = connection.connection.dbapi_connection
    assert driver is not None
    if dialect.name == "postgresql":
        cursor = driver.cursor(name=f"hallq_plain_rows_{next(_names)}")
    else:
        cursor = driver.cursor()
    try:
        cursor.execute(str(compiled), params)
        while batch := cursor.fetchmany(size):
            yield batch
    finally:
        cursor.close()
