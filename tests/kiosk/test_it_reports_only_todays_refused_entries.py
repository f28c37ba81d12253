"""The refused entries a kiosk reports to the floor monitor are today's (its lease's business
day in the hall): yesterday's refusals were dealt with yesterday and do not keep today's
floor listing the kiosk. An entry whose lease the kiosk never held counts by its issue date
in the hall.
The kiosk's own journal file; nothing is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hallq_client import HallqClient
from kiosk.offline import OfflineBook, OfflineIssuer
from queue_server.domain.clock import ManualClock
from tests.support.factories import SHANGHAI, local

TODAY = local(2026, 11, 25, 10, 0)


def _lease(lease_id: str, day: datetime) -> dict[str, object]:
    return {
        "id": lease_id,
        "service": "SOC",
        "prefix": "A",
        "business_day": day.date().isoformat(),
        "first": 401,
        "last": 410,
        "granted_at": day.replace(hour=8),
        "expires_at": day.replace(hour=17),
    }


async def test_it_reports_only_todays_refused_entries(tmp_path: Path) -> None:
    yesterday = TODAY - timedelta(days=1)
    book = OfflineBook(tmp_path / "kiosk-journal.sqlite", "test", "kiosk-1")
    clock = ManualClock(yesterday)
    client = HallqClient("http://127.0.0.1:9", "test", token="unused")
    issuer = OfflineIssuer(client, book, "kiosk-1", patience=1, retry_every=1, clock=clock.now)
    issuer.zone = SHANGHAI
    try:
        book.add_lease(_lease("lease-yesterday", yesterday))
        old = book.issue("SOC", "normal", yesterday)
        book.mark_refused(old.key, "number_taken", "A401 belongs to another ticket")
        assert issuer.journal_state() == (0, 1, old.issued_at)

        clock.set(TODAY)
        assert issuer.journal_state() == (0, 0, None)  # nothing for today's floor

        # An entry naming a lease this kiosk never held, issued at 07:30 today in the hall
        # (23:30 yesterday in UTC: the hall's date decides).
        early = local(2026, 11, 25, 7, 30)
        book._db.execute(
            "INSERT INTO journal (key, lease_id, service, seq_no, number, priority, issued_at, "
            "ticket_id, refused, refused_reason) VALUES ('off-stray-1', 'stray', 'SOC', 1, "
            "'A001', 'normal', ?, ?, 'unknown_lease', 'no such lease')",
            (early.astimezone(UTC).isoformat(), "x" * 32),
        )
        book.add_lease(_lease("lease-today", TODAY))
        new = book.issue("SOC", "normal", TODAY)
        book.mark_refused(new.key, "number_taken", "A401 belongs to another ticket")
        assert issuer.journal_state() == (0, 2, early)
    finally:
        await client.aclose()
        book.close()
