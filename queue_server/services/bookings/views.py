"""What the booking service hands to adapters: masked, never the full personal data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from queue_server.domain.masking import mask_name, mask_phone
from queue_server.services.views import TicketView
from queue_server.storage.booking_tables import Booking


@dataclass(frozen=True)
class BookingView:
    id: str
    hall: str
    code: str
    service: str
    day: date
    slot_start: datetime
    slot_end: datetime
    state: str
    name_masked: str
    phone_masked: str
    id_masked: str
    arrival: str | None
    ticket_id: str | None
    # The SMS check: held until this instant unless the code from the phone is entered.
    hold_until: datetime | None = None

    @property
    def awaiting_sms_code(self) -> bool:
        return self.hold_until is not None

    @classmethod
    def of(cls, row: Booking, zone: ZoneInfo) -> BookingView:
        """Times in the hall's own zone, as visitors read them."""
        return cls(
            id=row.id,
            hall=row.hall_id,
            code=row.code,
            service=row.service_code,
            day=row.business_day,
            slot_start=row.slot_start.astimezone(zone),
            slot_end=row.slot_end.astimezone(zone),
            state=row.state,
            name_masked=mask_name(row.name),
            phone_masked=mask_phone(row.phone or ""),
            id_masked=row.id_masked,
            arrival=row.arrival,
            ticket_id=row.ticket_id,
            hold_until=row.verify_until.astimezone(zone) if row.verify_until else None,
        )


@dataclass(frozen=True)
class SlotView:
    service: str
    start: datetime
    end: datetime
    capacity: int
    free: int


@dataclass(frozen=True)
class CheckInResult:
    """outcome: on_time (priority ticket), late (normal ticket, notice), too_early (no ticket:
    come back at `come_back_at`), early_normal (the visitor chose a normal ticket now)."""

    outcome: str
    booking: BookingView
    ticket: TicketView | None
    window_opens: datetime
    window_closes: datetime
    come_back_at: datetime | None = None
    replayed: bool = False
