"""`TicketRow` is what `RETURNING` every column of tickets gives, in the table's order: a
column added to the table without it would shift every value after it (or fail the call)."""

from __future__ import annotations

from typing import get_type_hints

from queue_server.storage.tables import Ticket, TicketRow


def test_it_has_every_column_in_the_tables_order() -> None:
    assert TicketRow._fields == tuple(Ticket.__table__.c.keys())


def test_each_field_is_typed_as_its_mapped_column() -> None:
    row_types = get_type_hints(TicketRow)
    mapped = get_type_hints(Ticket)
    for name in TicketRow._fields:
        assert mapped[name].__args__[0] == row_types[name], name  # Mapped[X] and X
