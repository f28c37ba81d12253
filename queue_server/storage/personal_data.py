"""Where personal data lives: the registry the retention purge works from.

HOW TO REGISTER YOUR TABLE'S PERSONAL DATA (bookings, complaints, anything new):

    # in your queue_server/storage/<name>_tables.py, after the table class
    from queue_server.domain.retention import RetentionCategory
    from queue_server.storage.personal_data import PurgeRule, register_purge_rule

    register_purge_rule(
        PurgeRule(
            table="bookings",                 # __tablename__
            age_column="slot_start",          # date or UTCDateTime; NULL rows are never purged
            category=RetentionCategory.BOOKING,
            clear=("phone", "id_hash"),       # nullable columns set to NULL
            replace={"name": "*", "id_masked": "*"},  # NOT NULL columns set to a constant
        )
    )

Register in the `*_tables.py` module itself: `storage.schema.full_metadata()` imports every
such module, and the purge calls it first, so a rule registered there is always seen.

Rules:
- List every column that holds a name, a phone, an ID number (even hashed or masked: a
  keyed hash still links the visit to a person), an address or free text about a visitor.
- Keep the anonymous facts (service, times, states, outcome, counts): the reports and the
  monthly assessment read them after the purge, and the purge test checks the month's
  counts do not move.
- `age_column` is the moment the data stops being needed (booking: the slot; complaint:
  its closure). A row with NULL there is kept, so an open case is never purged.
- Rows are updated, never deleted, so foreign keys and counts stay intact.
- `hall_column` (default "hall_id") lets the purge work hall by hall, each with its own
  `[retention]` days; set it to None for a table without a hall column (purged for all).
- Never put personal data into event payloads: events are hash-chained and cannot be
  purged without breaking the chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from queue_server.domain.retention import RetentionCategory


@dataclass(frozen=True)
class PurgeRule:
    table: str
    age_column: str
    category: RetentionCategory
    clear: tuple[str, ...] = ()
    replace: Mapping[str, str] = field(default_factory=dict)
    hall_column: str | None = "hall_id"

    def columns(self) -> tuple[str, ...]:
        return (*self.clear, *self.replace)

    @property
    def key(self) -> tuple[str, str]:
        return (self.table, self.age_column)


_RULES: dict[tuple[str, str], PurgeRule] = {}


def register_purge_rule(rule: PurgeRule) -> PurgeRule:
    """Add (or, on module re-import, replace) the rule for `rule.table`/`rule.age_column`."""
    if not rule.columns():
        raise ValueError(f"purge rule for {rule.table} names no column to clear or replace")
    _RULES[rule.key] = rule
    return rule


def registered_rules() -> tuple[PurgeRule, ...]:
    """Every rule, after importing every table module (so their registrations have run)."""
    from queue_server.storage.schema import full_metadata

    full_metadata()
    return tuple(_RULES.values())


# ----- the core tables (tables.py) ------------------------------------------------------------

# A clerk's transfer note may name the visitor or their matter.
register_purge_rule(
    PurgeRule(
        table="tickets",
        age_column="issued_at",
        category=RetentionCategory.VISIT,
        clear=("note",),
    )
)

# A bad rating's follow-up keeps the visitor's phone and the notes of the contact; the state
# and the times (opened, contacted, fixed, closed) stay for supervision's figures.
register_purge_rule(
    PurgeRule(
        table="follow_ups",
        age_column="opened_at",
        category=RetentionCategory.VISIT,
        clear=("visitor_phone", "contact_note", "fix_note", "closure_note"),
    )
)
