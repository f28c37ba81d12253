"""Webhooks to send, queued in the transaction of the change they report (the outbox)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from queue_server.services.halls import HallContext
from queue_server.storage.booking_tables import WebhookOutbox

BOOKED = "booking.booked"
CANCELLED = "booking.cancelled"
REMINDER = "booking.reminder"
NEAR_FRONT = "booking.near_front"
# The SMS check: the body carries the code for the gateway to send to the phone.
VERIFY = "booking.verify"


def enqueue(
    session: Session,
    hall: HallContext,
    kind: str,
    booking_id: str,
    now: datetime,
    places: int | None = None,
) -> None:
    """Queue a webhook when the hall has a receiver configured; otherwise nothing to do."""
    if hall.config.appointments.webhook_url is None:
        return
    session.add(
        WebhookOutbox(
            hall_id=hall.id,
            kind=kind,
            booking_id=booking_id,
            places=places,
            created_at=now,
            attempts=0,
            next_attempt_at=now,
        )
    )
