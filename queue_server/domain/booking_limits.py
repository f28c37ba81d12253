"""How many online bookings one caller may make, so nobody can fill a day's slots with made-up
ID numbers (issue 20, finding 5): per client address, per phone and per ID number, each counted
over a sliding window. A refused booking is told when it may try again (429, Retry-After).

The per-person rule of the appointments (one booking per ID number per day) stays; these
limits are about volume: an ID number with valid check digits is easy to make up, so a limit
per address is the one a made-up identity cannot escape, and a phone number is the one thing
the visitor must really own (it receives the reminder).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class BookingLimits:
    per_address: int = 10
    address_window: timedelta = timedelta(hours=1)
    per_phone: int = 3
    per_id_number: int = 3
    person_window: timedelta = timedelta(hours=24)


def wait_seconds(
    made_at: Iterable[datetime], now: datetime, limit: int, window: timedelta
) -> int | None:
    """Seconds until one more may be made, given when the earlier ones were; None: now."""
    recent = sorted(t for t in made_at if now - t < window)
    if len(recent) < limit:
        return None
    frees_at = recent[len(recent) - limit] + window
    return max(1, int((frees_at - now).total_seconds() + 0.999))
