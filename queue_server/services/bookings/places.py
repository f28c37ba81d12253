"""A slot's places: a counter row per (hall, service, slot), changed only by compare-and-set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from queue_server.storage.booking_tables import BookingSlot
from queue_server.storage.engine import rows_changed


def take_place(
    session: Session, hall_id: str, service: str, start: datetime, capacity: int
) -> bool:
    """One place of the slot, or False when it is full.

    Two races are stopped here. The first bookers of a slot both find no counter row: the
    insert with ON CONFLICT DO NOTHING lets one create it and the other carry on instead of
    failing on the primary key. Two bookers both seeing the last place free: the UPDATE
    takes the row's lock and its `booked < capacity` condition is evaluated on the row as
    the previous booker committed it (PostgreSQL re-checks the WHERE after waiting for the
    lock; SQLite admits one writer at a time), so the second matches no row and gets False.
    Counting the bookings and then inserting would let both in.
    """
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(BookingSlot)
        .values(hall_id=hall_id, service_code=service, slot_start=start, booked=0)
        .on_conflict_do_nothing(index_elements=["hall_id", "service_code", "slot_start"])
    )
    taken = session.execute(
        update(BookingSlot)
        .where(
            BookingSlot.hall_id == hall_id,
            BookingSlot.service_code == service,
            BookingSlot.slot_start == start,
            BookingSlot.booked < capacity,
        )
        .values(booked=BookingSlot.booked + 1)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(taken) == 1


def release_place(session: Session, hall_id: str, service: str, start: datetime) -> None:
    session.execute(
        update(BookingSlot)
        .where(
            BookingSlot.hall_id == hall_id,
            BookingSlot.service_code == service,
            BookingSlot.slot_start == start,
            BookingSlot.booked > 0,
        )
        .values(booked=BookingSlot.booked - 1)
        .execution_options(synchronize_session=False)
    )


def booked_counts(
    session: Session, hall_id: str, first: datetime, last: datetime
) -> dict[tuple[str, datetime], int]:
    rows = session.execute(
        select(BookingSlot.service_code, BookingSlot.slot_start, BookingSlot.booked).where(
            BookingSlot.hall_id == hall_id,
            BookingSlot.slot_start >= first,
            BookingSlot.slot_start <= last,
        )
    )
    return {(service, start): int(booked) for service, start, booked in rows}
