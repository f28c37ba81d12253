"""SQLite reads each head of a call-next (each service and priority class, and the tickets
sent to the window by name) with a seek on an index made for it, never by walking every
waiting ticket of the hall. Without statistics it once read the tickets sent by name through
the queue's covering index, 0.6 ms of a call with 6,000 waiting (issue 22)."""

from __future__ import annotations

from sqlalchemy import create_engine

from queue_server.services.queries import _queue_heads_statement

WALK_OF_THE_HALL = "(hall_id=? AND state=?)"


def test_every_arm_of_the_heads_read_seeks_its_own_index(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        statement = _queue_heads_statement(3)._statement.compile(dialect=engine.dialect)
        values = {"hall_id": "test", "window": 1, "depth": 1, "code0": "SOC", "code1": "TAX"}
        values["code2"] = "RES"
        args = [
            values[key] if key in values else statement.binds[key].value
            for key in statement.positiontup or ()
        ]
        with engine.connect() as connection:
            cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
            plan = [row[3] for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", args)]
        reads = [step for step in plan if " tickets " in f" {step} "]
        assert len(reads) == 3 * 3 + 1, plan
        assert all(step.startswith("SEARCH tickets USING") for step in reads), plan
        assert not any(step.endswith(WALK_OF_THE_HALL) for step in reads), plan
    finally:
        engine.dispose()
