"""Leased number blocks: how many of today's numbers a kiosk holds for when it is cut off.

A kiosk that cannot reach the server keeps issuing from a block of numbers it leased while
it could (kiosk 2 holds A401-A410). The block is cut from the same per-day, per-prefix
counter as online issuing, so a number is issued once whoever issues it; numbers a kiosk
never used stay unused (a gap in the day's numbers, never a duplicate).

The block size follows the service's measured issue rate: the tickets this kiosk would be
expected to issue during `outage_minutes` of outage, i.e. the service's tickets in the last
hour, per minute, times the outage minutes, shared among the kiosks that hold leases for it,
with a margin, clamped to [minimum, maximum]. A quiet service still gets `minimum` numbers
(a lease that runs out after two visitors helps nobody); a busy one is capped at `maximum`
so a kiosk that never comes back strands few numbers.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LeasePolicy:
    outage_minutes: int = 15
    minimum: int = 5
    maximum: int = 50
    margin: float = 1.5
    # Renew in the background once this share of the block is used.
    renew_when_left: float = 1 / 3
    # A kiosk's clock may drift; issue times further off than this are clamped.
    clock_tolerance: timedelta = timedelta(minutes=5)


def block_size(issued_last_hour: int, kiosks: int, policy: LeasePolicy = LeasePolicy()) -> int:
    """Numbers to lease to one kiosk for one service (see the module docstring)."""
    if issued_last_hour < 0:
        raise ValueError("issued_last_hour must be >= 0")
    per_minute = issued_last_hour / 60
    expected = per_minute * policy.outage_minutes * policy.margin / max(1, kiosks)
    return max(policy.minimum, min(policy.maximum, math.ceil(expected)))


def should_renew(left: int, size: int, policy: LeasePolicy = LeasePolicy()) -> bool:
    """Whether a kiosk asks for its next block now (before the current one runs low)."""
    return left <= max(1, math.floor(size * policy.renew_when_left))


def in_block(seq_no: int, first: int, last: int) -> bool:
    return first <= seq_no <= last


def order_time(
    kiosk_time: datetime,
    granted_at: datetime,
    received_at: datetime,
    policy: LeasePolicy = LeasePolicy(),
) -> datetime:
    """The time an offline ticket takes its place in the queue: the kiosk's issue time, kept
    between the lease's grant and the upload (a kiosk clock off by hours cannot put its
    tickets ahead of people who came earlier, nor behind the upload)."""
    return max(granted_at, min(received_at, kiosk_time))


def plausible_issue_time(
    kiosk_time: datetime,
    granted_at: datetime,
    received_at: datetime,
    policy: LeasePolicy = LeasePolicy(),
) -> bool:
    """False when the kiosk's clock is too far off to believe (the entry is still taken, with
    its time clamped; the caller records that it was clamped)."""
    return granted_at - policy.clock_tolerance <= kiosk_time <= received_at + policy.clock_tolerance


def offline_ticket_id(hall_id: str, entry_key: str) -> str:
    """The id an offline ticket gets when reconciled, known to the kiosk in advance so the
    QR code it prints offline opens the ticket's status page once the journal is uploaded.
    The kiosk computes the same (kiosk/offline.py; a test keeps the two in step)."""
    return hashlib.sha256(f"hallq-offline|{hall_id}|{entry_key}".encode()).hexdigest()[:32]


# ----- the floor monitor: kiosks cut off ----------------------------------------------------


@dataclass(frozen=True)
class KioskContact:
    """What the server knows of one kiosk today."""

    device: str
    last_contact: datetime | None  # its last status report or lease call, whichever is later
    reported_pending: int | None  # from its last status report (None: it never said)
    reported_since: datetime | None
    leased_unreconciled: int  # numbers leased today that no upload has reconciled yet
    reported_refused: int = 0  # today's entries the server refused, as it last reported


@dataclass(frozen=True)
class OfflineKiosk:
    device: str
    since: datetime | None
    pending: int | None  # tickets it holds unreconciled (None: unknown while it is silent)
    leased_unreconciled: int  # the most it can hold: leased today, not reconciled
    silent: bool  # True: judged offline from its silence; False: back, journal not uploaded
    # Today's entries the server refused, as it last reported: visitors holding a receipt the
    # server does not know, to be served by hand.
    refused: int = 0


def offline_kiosks(
    contacts: list[KioskContact], now: datetime, silence: timedelta
) -> list[OfflineKiosk]:
    """The kiosks the duty lead should know are (or were) cut off, longest first.

    A kiosk cut off cannot say so: the server judges it from its silence (since = its last
    contact). Only the kiosk knows how many tickets it issued offline, so the count comes
    from its status report once it is back, and the row stays until it reports none left.
    Entries the server refused are never uploaded again: the row stays for them too (the
    duty lead serves those visitors by hand), until the business day is over.
    """
    found: list[OfflineKiosk] = []
    for c in contacts:
        if c.last_contact is None:
            continue  # not heard from today: switched off, not cut off (devices lists it)
        silent = now - c.last_contact > silence
        if silent:
            since = c.reported_since or c.last_contact
            # Whatever it last reported, it may have issued more since: unknown.
            found.append(
                OfflineKiosk(c.device, since, None, c.leased_unreconciled, True, c.reported_refused)
            )
        elif c.reported_pending or c.reported_refused:
            found.append(
                OfflineKiosk(
                    c.device,
                    c.reported_since,
                    c.reported_pending,
                    c.leased_unreconciled,
                    False,
                    c.reported_refused,
                )
            )
    far_past = datetime.min.replace(tzinfo=now.tzinfo)
    return sorted(found, key=lambda k: (k.since or far_past, k.device))


# ----- ghost tickets: an online request whose answer the kiosk never got ------------------

# Why a kiosk gives up a ticket the server may have issued while its answer was lost: the
# visitor left with something else (or nothing), so that online ticket has nobody for it.
ABANDON_REASONS: dict[str, str] = {
    "served_offline": "abandoned: answer lost, visitor served offline",
    "sent_to_staff": "abandoned: answer lost, lease used up, visitor sent to staff",
    "kiosk_restarted": "abandoned: answer lost, kiosk restarted before it came",
    "visitor_cancelled": "abandoned: visitor cancelled while the kiosk was asking",
}
# The fingerprint an abandoned Idempotency-Key that never reached the server is kept under:
# a request arriving late with that key issues nothing (no fingerprint of a real request is
# this text; theirs are SHA-256 digests).
ABANDONED_KEY = "abandoned"


def abandon_reason(code: str) -> str:
    """The cancellation reason recorded for an abandoned ticket; ValueError for an unknown
    code."""
    try:
        return ABANDON_REASONS[code]
    except KeyError:
        raise ValueError(f"unknown reason {code!r}") from None
