"""Purging personal data past its retention period (`hallq retention purge`, daily timer).

Works from the registry in queue_server/storage/personal_data.py: every rule names a
table, the column that dates the data, and the columns to clear. Rows are updated, never
deleted, so the anonymous facts the reports and the assessment read stay as they were.
Each purge appends one `retention.purged` event per hall (counts only), so the event log
shows when the hall last purged and how much.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, or_, update

from queue_server.domain.booking_limits import BookingLimits
from queue_server.domain.clock import Clock
from queue_server.domain.events import EventKind
from queue_server.domain.retention import RetentionPeriods
from queue_server.services.bookings.counters import purge_before
from queue_server.services.database import Database
from queue_server.services.event_log import append_event
from queue_server.services.halls import HallRegistry
from queue_server.storage.personal_data import PurgeRule, registered_rules
from queue_server.storage.schema import full_metadata

PURGED = EventKind.RETENTION_PURGED


class BadPurgeRule(RuntimeError):
    """A registered rule names a table or column the schema does not have."""


@dataclass(frozen=True)
class PurgeResult:
    hall_id: str
    # "table.age_column" -> rows whose personal data was cleared now
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


class RetentionService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def purge_all(self) -> list[PurgeResult]:
        return [self.purge(hall.id) for hall in self.halls.all()]

    def purge(self, hall_id: str) -> PurgeResult:
        hall = self.halls.get(hall_id)
        periods = hall.config.retention.periods()
        now = self.clock.now()
        tables = full_metadata().tables
        rules = registered_rules()
        rows: dict[str, int] = {}
        with self.db.write() as work:
            for rule in rules:
                statement = _purge_statement(_table(tables, rule), rule, periods, now, hall_id)
                result: Any = work.session.execute(statement)
                rows[f"{rule.table}.{rule.age_column}"] = int(result.rowcount or 0)
            # Booking volume counters hold keyed hashes of addresses and phones; a window
            # that is over limits nothing, so its rows go (deleted, not cleared).
            over = now - BookingLimits().longest_window
            rows["booking_counters.window_start"] = purge_before(work.session, hall_id, over)
            append_event(
                work,
                hall.id,
                PURGED,
                now,
                payload={
                    "rows": rows,
                    "days": {
                        "booking": periods.booking_days,
                        "visit": periods.visit_days,
                        "complaint": periods.complaint_days,
                    },
                },
            )
        return PurgeResult(hall.id, rows)


def _table(tables: Any, rule: PurgeRule) -> Table:
    table = tables.get(rule.table)
    if table is None:
        raise BadPurgeRule(f"purge rule names table {rule.table!r}, which the schema lacks")
    wanted = [rule.age_column, *rule.columns()]
    if rule.hall_column is not None:
        wanted.append(rule.hall_column)
    missing = [name for name in wanted if name not in table.c]
    if missing:
        raise BadPurgeRule(f"purge rule for {rule.table} names unknown columns {missing}")
    return table


def _purge_statement(
    table: Table, rule: PurgeRule, periods: RetentionPeriods, now: Any, hall_id: str
) -> Any:
    age: Column[Any] = table.c[rule.age_column]
    is_day = age.type.python_type is date
    cutoff = (
        periods.cutoff_day(rule.category, now) if is_day else periods.cutoff(rule.category, now)
    )
    # Only rows still holding something count as purged, so a second run reports 0.
    holding: list[ColumnElement[bool]] = [table.c[name].is_not(None) for name in rule.clear]
    holding += [
        or_(table.c[name].is_(None), table.c[name] != value) for name, value in rule.replace.items()
    ]
    values: dict[str, Any] = {name: None for name in rule.clear}
    values.update(rule.replace)
    statement = update(table).where(age.is_not(None), age < cutoff, or_(*holding))
    if rule.hall_column is not None:
        statement = statement.where(table.c[rule.hall_column] == hall_id)
    return statement.values(values)
