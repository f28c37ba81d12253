"""Offline, a kiosk issues only the numbers of its block and only on the block's day: past
the last number, or once the lease has expired, it says so (LeaseExhausted: the screen
points the visitor to staff) and asks for a new block."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kiosk.offline import LeaseExhausted, OfflineBook
from queue_server.domain.clock import ManualClock


def lease(first: int, last: int, now: datetime) -> dict[str, object]:
    return {
        "id": f"{first:032x}",
        "service": "SOC",
        "prefix": "A",
        "business_day": now.date().isoformat(),
        "first": first,
        "last": last,
        "granted_at": now.isoformat(),
        "expires_at": (now + timedelta(hours=2)).isoformat(),
    }


def test_a_kiosk_issues_nothing_past_its_lease(tmp_path: Path, clock: ManualClock) -> None:
    now = clock.now()  # the test hall's morning, whatever the date today
    book = OfflineBook(tmp_path / "kiosk.sqlite", "hall")
    book.add_lease(lease(1, 2, now))
    assert book.left("SOC", now) == 2 and not book.needs_lease("SOC", now)
    assert [book.issue("SOC", "normal", now).number for _ in range(2)] == ["A001", "A002"]
    with pytest.raises(LeaseExhausted):
        book.issue("SOC", "normal", now)
    assert book.needs_lease("SOC", now)
    with pytest.raises(LeaseExhausted):
        book.issue("TAX", "normal", now)  # no lease at all for that service

    book.add_lease(lease(10, 20, now))
    with pytest.raises(LeaseExhausted):
        book.issue("SOC", "normal", clock.advance(timedelta(hours=3)))  # expired at day's end
    assert book.issue("SOC", "normal", now).number == "A010"
