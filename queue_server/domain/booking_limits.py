"""How many online bookings one caller may make, so nobody can fill a day's slots with made-up
ID numbers: per client address, per phone and per ID number, each counted over a fixed window.
A refused booking is told when it may try again (429, Retry-After).

The per-person rule of the appointments (one booking per ID number per day) stays; these
limits are about volume: an ID number with valid check digits is easy to make up, so a limit
per address is the one a made-up identity cannot escape, and a phone number is the one thing
the visitor must really own (it receives the reminder).

The windows are fixed (aligned to the Unix epoch in UTC), not sliding: a fixed window is one
counter row that every server process can change with compare-and-set, so the limit holds
across workers and hosts. The price: a caller may make up to twice the limit across the
boundary of two windows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class LimitKind(StrEnum):
    ADDRESS = "address"
    PHONE = "phone"
    ID_NUMBER = "id_number"


@dataclass(frozen=True)
class BookingLimits:
    per_address: int = 10
    address_window: timedelta = timedelta(hours=1)
    per_phone: int = 3
    per_id_number: int = 3
    person_window: timedelta = timedelta(hours=24)

    def of(self, kind: LimitKind) -> tuple[int, timedelta]:
        """The limit and its window for one kind of key."""
        if kind is LimitKind.ADDRESS:
            return self.per_address, self.address_window
        if kind is LimitKind.PHONE:
            return self.per_phone, self.person_window
        return self.per_id_number, self.person_window

    @property
    def longest_window(self) -> timedelta:
        return max(self.address_window, self.person_window)


WHO = {
    LimitKind.ADDRESS: "this address",
    LimitKind.PHONE: "this phone number",
    LimitKind.ID_NUMBER: "this ID number",
}


def window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the fixed window `now` falls in."""
    return EPOCH + ((now - EPOCH) // window) * window


def retry_after(now: datetime, window: timedelta) -> int:
    """Whole seconds until the window `now` falls in is over (at least 1)."""
    ends = window_start(now, window) + window
    return max(1, int((ends - now).total_seconds() + 0.999))
