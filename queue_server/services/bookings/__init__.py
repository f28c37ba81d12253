"""Online appointments: booking, check-in, no-shows, reminders, import (docs/appointments.md)."""

from __future__ import annotations

from queue_server.services.bookings.service import (
    BookingRequest,
    BookingService,
    CheckInRequest,
)
from queue_server.services.bookings.views import BookingView, CheckInResult, SlotView

__all__ = [
    "BookingRequest",
    "BookingService",
    "BookingView",
    "CheckInRequest",
    "CheckInResult",
    "SlotView",
]
