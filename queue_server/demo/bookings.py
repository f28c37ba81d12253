"""A few bookings for today in the demo hall, so a newcomer can check one in at the kiosk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select

from queue_server.domain.appointments import bookable_slots, id_check_char
from queue_server.domain.masking import mask_name
from queue_server.services.bookings.importing import ImportRejected, ImportRow
from queue_server.services.bookings.service import BookingService
from queue_server.storage.booking_tables import Booking

DEMO_VISITORS = (("张三丰", "SOC"), ("李小龙", "MED"), ("王小明", "SOC"))


def _demo_id_number(serial: int) -> str:
    first17 = f"33010619850101{serial:03d}"  # fictitious, but with a valid check character
    return first17 + id_check_char(first17)


def seed_demo_bookings(bookings: BookingService, hall_id: str, base_url: str) -> str:
    """Books the next slot of today for a few demo visitors (once per slot, idempotent) and
    says how to check them in."""
    hall = bookings.halls.get(hall_id)
    now = bookings.clock.now()
    today = hall.calendar.business_day(now)
    upcoming = [
        s
        for s in bookable_slots(hall.calendar, bookings.rules(hall), now)
        if hall.calendar.business_day(s.start) == today
    ]
    lines = [f"  booking page:    {base_url}/book/{hall_id}   (预约; visitors book here)"]
    if not upcoming:
        return "\n".join(lines)
    kept = _still_to_come(bookings, hall_id, today, now)
    if kept:
        # A restart the same day: these visitors have their booking already (one a day).
        return "\n".join([*lines, *_listed(bookings, hall_id, kept)])
    slot = upcoming[0]
    local = hall.calendar.local(slot.start)
    rows = []
    for n, (name, service) in enumerate(DEMO_VISITORS, start=1):
        serial = local.hour * 10 + n  # a new demo visitor for every hour the demo starts in
        rows.append(
            ImportRow(
                line=n,
                ref=f"demo-{local:%Y%m%d%H%M}-{n}",
                service=service,
                slot_start=slot.start,
                name=name,
                phone=f"138{serial:08d}",
                id_number=_demo_id_number(serial),
            )
        )
    try:
        bookings.import_rows(hall_id, rows)
    except ImportRejected as exc:
        return "\n".join([*lines, f"  demo bookings:   not created ({exc.message})"])
    return "\n".join([*lines, *_listed(bookings, hall_id, [r.ref for r in rows])])


def _still_to_come(bookings: BookingService, hall_id: str, today: date, now: datetime) -> list[str]:
    """The refs of today's demo bookings whose slot has not begun and that are still open."""
    with bookings.db.read() as session:
        return list(
            session.scalars(
                select(Booking.source_ref).where(
                    Booking.hall_id == hall_id,
                    Booking.source_ref.startswith(f"demo-{today:%Y%m%d}", autoescape=True),
                    Booking.slot_start > now,
                    Booking.cancelled_at.is_(None),
                    Booking.checked_in_at.is_(None),
                )
            )
        )


def _listed(bookings: BookingService, hall_id: str, refs: Sequence[str | None]) -> list[str]:
    hall = bookings.halls.get(hall_id)
    with bookings.db.read() as session:
        made = session.scalars(
            select(Booking)
            .where(Booking.hall_id == hall_id, Booking.source_ref.in_(refs))
            .order_by(Booking.source_ref)
        ).all()
    if not made:
        return []
    first = made[0]
    early = timedelta(minutes=bookings.rules(hall).arrive_early_minutes)
    opens = hall.calendar.local(first.slot_start - early)
    return [
        f"  demo bookings:   today {hall.calendar.local(first.slot_start):%H:%M}-"
        f"{hall.calendar.local(first.slot_end):%H:%M}, "
        f"check in at the kiosk (预约签到) from {opens:%H:%M} with a code:",
        *(f"    {b.code}  {b.service_code:<4} {mask_name(b.name)}" for b in made),
    ]
