"""Delivering the outbox to the hall's webhook receiver, signed with HMAC-SHA256.

Each request is a POST of a JSON body with two headers:

    X-Hallq-Timestamp: 1764035400              (Unix seconds when it was sent)
    X-Hallq-Signature: sha256=<hex>            (HMAC-SHA256 over "<timestamp>.<body>")

keyed with the secret in `[appointments] webhook_secret_file`. A receiver recomputes the HMAC
over the timestamp, a dot and the raw body bytes, compares in constant time, and refuses
timestamps far from its own clock (replays). `id` in the body is unique per webhook:
a receiver that sees an id again (a retry after a lost answer) ignores it.

A delivery that fails (no answer, or not 2xx) is retried with growing pauses, up to
MAX_ATTEMPTS; then it is given up and kept with its last error for the administrator.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from queue_server.domain.clock import Clock
from queue_server.domain.masking import mask_name
from queue_server.services.bookings.outbox import VERIFY
from queue_server.services.database import Database
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.storage.booking_tables import Booking, WebhookOutbox

log = logging.getLogger("hallq.webhooks")

BACKOFF_SECONDS = (10, 30, 60, 300, 900, 1800, 3600)
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
BATCH = 50
LEASE_SECONDS = 600  # longer than a batch of deliveries can take (5 s timeout each)


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: bytes, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (used by the tests' receiver; documented in docs/appointments.md)."""
    try:
        expected = sign(secret, int(timestamp), body)
    except ValueError:
        return False
    return hmac.compare_digest(expected, signature)


def read_secret(path: str | None) -> bytes:
    if path is None:
        raise ValueError("[appointments] webhook_url is set but webhook_secret_file is not")
    secret = Path(path).read_text("utf-8").strip().encode()
    if len(secret) < 16:
        raise ValueError(f"the webhook secret in {path} is too short (at least 16 characters)")
    return secret


@dataclass(frozen=True)
class Delivery:
    outbox_id: int
    hall: HallContext
    body: bytes


def body_for(
    row: WebhookOutbox,
    booking: Booking | None,
    hall: HallContext,
    code_of: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The phone goes to the hall's own receiver in full: it is what an SMS gateway needs.
    The name is masked and the ID number is never sent. The SMS check's code is derived here,
    at delivery (it is stored nowhere)."""
    data: dict[str, Any] = {"id": row.id, "event": row.kind, "hall": hall.id}
    if booking is not None:
        data["booking"] = {
            "code": booking.code,
            "service": booking.service_code,
            "slot_start": booking.slot_start.isoformat(),
            "slot_end": booking.slot_end.isoformat(),
            "state": booking.state,
            "phone": booking.phone,
            "name_masked": mask_name(booking.name),
        }
    if row.places is not None:
        data["places_ahead"] = row.places
    if row.kind == VERIFY and booking is not None and code_of is not None:
        data["verification_code"] = code_of(booking.id)
        if booking.verify_until is not None:
            data["code_expires_at"] = booking.verify_until.isoformat()
    return data


class WebhookDispatcher:
    def __init__(
        self,
        db: Database,
        halls: HallRegistry,
        clock: Clock,
        code_of: Callable[[str], str] | None = None,
    ) -> None:
        self.db = db
        self.code_of = code_of
        self.halls = halls
        self.clock = clock
        self._http = httpx.Client(timeout=httpx.Timeout(5.0, connect=3.0))

    def close(self) -> None:
        self._http.close()

    def _due(self) -> list[Delivery]:
        """Claims the due webhooks for LEASE_SECONDS: another worker process polling the same
        outbox skips them (SKIP LOCKED) and then finds them not due, so each is sent once."""
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            rows = list(
                session.scalars(
                    select(WebhookOutbox)
                    .where(
                        WebhookOutbox.delivered_at.is_(None),
                        WebhookOutbox.failed_at.is_(None),
                        WebhookOutbox.next_attempt_at <= now,
                    )
                    .order_by(WebhookOutbox.id)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
            )
            deliveries = []
            for row in rows:
                row.next_attempt_at = now + timedelta(seconds=LEASE_SECONDS)
                hall = self.halls.get(row.hall_id)
                booking = session.get(Booking, row.booking_id)
                text = json.dumps(body_for(row, booking, hall, self.code_of), ensure_ascii=False)
                deliveries.append(Delivery(row.id, hall, text.encode("utf-8")))
            return deliveries

    def deliver_due(self) -> int:
        """Send what is due once; returns how many were delivered."""
        delivered = 0
        for delivery in self._due():
            error = self._send(delivery)
            self._record(delivery.outbox_id, error)
            delivered += error is None
        return delivered

    def _send(self, delivery: Delivery) -> str | None:
        settings = delivery.hall.config.appointments
        if settings.webhook_url is None:
            return "no webhook_url configured"
        try:
            secret = read_secret(settings.webhook_secret_file)
        except (OSError, ValueError) as exc:
            return f"secret: {exc}"
        timestamp = int(self.clock.now().timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Hallq-Timestamp": str(timestamp),
            "X-Hallq-Signature": sign(secret, timestamp, delivery.body),
        }
        try:
            response = self._http.post(settings.webhook_url, content=delivery.body, headers=headers)
        except httpx.HTTPError as exc:
            return f"no answer: {type(exc).__name__}"
        if 200 <= response.status_code < 300:
            return None
        return f"HTTP {response.status_code}"

    def _record(self, outbox_id: int, error: str | None) -> None:
        now = self.clock.now()
        with self.db.write() as work:
            row = work.session.get(WebhookOutbox, outbox_id)
            if row is None:
                return
            row.attempts += 1
            if error is None:
                row.delivered_at = now
                row.last_error = None
                return
            row.last_error = error[:300]
            if row.attempts >= MAX_ATTEMPTS:
                row.failed_at = now
                log.error("webhook %s given up after %s attempts: %s", row.id, row.attempts, error)
            else:
                pause = BACKOFF_SECONDS[min(row.attempts - 1, len(BACKOFF_SECONDS) - 1)]
                row.next_attempt_at = now + timedelta(seconds=pause)
                log.warning("webhook %s not delivered (%s); retry in %s s", row.id, error, pause)
