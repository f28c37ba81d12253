"""Query plans of a Core statement as the server's prepared reads get them."""

from __future__ import annotations

import re
from typing import Any

from psycopg import sql
from sqlalchemy.engine import Engine

_NAMED = re.compile(r"%\((\w+)\)s")


def postgres_plan(
    engine: Engine,
    statement: Any,
    values: dict[str, Any],
    *,
    generic: bool,
    analyze: bool = False,
    settings: tuple[str, ...] = (),
) -> str:
    """EXPLAIN of `statement` prepared on the server (`PREPARE`, then `EXECUTE`), so that
    `plan_cache_mode` applies: a generic plan is made without the values, as the driver's
    prepared statements may get after their fifth run. EXPLAIN of the statement itself
    would always plan it with its values. `settings`: further `SET`s first."""
    compiled = statement.compile(dialect=engine.dialect)
    expanded = compiled.construct_expanded_state(values)
    names = list(dict.fromkeys(_NAMED.findall(expanded.statement)))
    numbered = _NAMED.sub(lambda m: f"${names.index(m.group(1)) + 1}", expanded.statement)
    mode = "force_generic_plan" if generic else "force_custom_plan"
    with engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        for setting in (f"plan_cache_mode = {mode}", *settings):
            cursor.execute(f"SET {setting}")
        cursor.execute(f"PREPARE reader AS {numbered}")
        arguments = sql.SQL(", ").join(sql.Literal(expanded.parameters[n]) for n in names)
        explain = "EXPLAIN ANALYZE" if analyze else "EXPLAIN"
        cursor.execute(sql.SQL(explain + " EXECUTE reader({})").format(arguments))
        plan = "\n".join(str(row[0]) for row in cursor.fetchall())
        cursor.execute("DEALLOCATE reader")
        return plan
