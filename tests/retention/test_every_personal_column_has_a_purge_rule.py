"""A column whose name says it holds a person's phone, address, ID number or name, in any
table of the schema, is cleared by a registered purge rule (queue_server/storage/
personal_data.py) - or is listed here with the reason it is kept. A new module that stores
visitors' data without registering it fails this test."""

from __future__ import annotations

import re

from queue_server.storage.personal_data import registered_rules
from queue_server.storage.schema import full_metadata

PERSONAL_NAME = re.compile(
    r"phone|address|id_hash|id_number|id_masked|complainant|visitor|(^|_)name$"
)

KEPT = {
    ("users", "name"): "staff names are shown at the windows by regulation, not visitors' data",
    ("devices", "name"): "a device's name (kiosk-1), not a person",
    ("login_failures", "address"): "the client's IP address for login throttling, not a home",
}


def test_personal_columns_are_purged() -> None:
    covered = {(rule.table, column) for rule in registered_rules() for column in rule.columns()}
    unruled = [
        f"{table.name}.{column.name}"
        for table in full_metadata().sorted_tables
        for column in table.c
        if PERSONAL_NAME.search(column.name)
        and (table.name, column.name) not in covered
        and (table.name, column.name) not in KEPT
    ]
    assert unruled == [], f"register a PurgeRule for {unruled} (storage/personal_data.py)"
    assert ("follow_ups", "visitor_phone") in covered
