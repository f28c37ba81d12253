"""The rule behind the floor's "kiosks cut off" card: silence judged by the server, the count
of unreconciled tickets only as the kiosk reported it."""

from __future__ import annotations

from datetime import timedelta

from queue_server.domain.leases import KioskContact, offline_kiosks
from tests.support.factories import local

NOW = local(2026, 11, 25, 10, 0)
SILENCE = timedelta(seconds=150)


def _contact(
    name: str, ago: float | None, pending: int | None = None, since_ago: float | None = None
) -> KioskContact:
    return KioskContact(
        device=name,
        last_contact=None if ago is None else NOW - timedelta(seconds=ago),
        reported_pending=pending,
        reported_since=None if since_ago is None else NOW - timedelta(seconds=since_ago),
        leased_unreconciled=10,
    )


def test_silence_pending_and_nothing_to_say() -> None:
    found = offline_kiosks(
        [
            _contact("kiosk-1", 30),  # heard from lately, nothing held
            _contact("kiosk-2", 600),  # silent 10 minutes
            _contact("kiosk-3", 5, pending=4, since_ago=900),  # back, upload not through
            _contact("kiosk-4", None),  # not heard from today: switched off
            _contact("kiosk-5", 600, pending=2, since_ago=1200),  # silent again, count stale
        ],
        NOW,
        SILENCE,
    )
    assert [(k.device, k.silent, k.pending, NOW - k.since) for k in found if k.since] == [
        ("kiosk-5", True, None, timedelta(seconds=1200)),
        ("kiosk-3", False, 4, timedelta(seconds=900)),
        ("kiosk-2", True, None, timedelta(seconds=600)),
    ]
    assert all(k.leased_unreconciled == 10 for k in found)
