"""A kiosk whose journal upload had one bad entry has nothing left to upload: it reports
pending 0 and refused 1 with its device status, and the floor's `offline_kiosks` lists it
so (the duty lead serves that visitor by hand) instead of "back, not reconciled" for good.
Real server over HTTP, the kiosk's own journal, issuer and status reporter."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from hallq_client import HallqClient
from kiosk.offline import OfflineBook, OfflineIssuer
from kiosk.reporting import DeviceReporter
from printers import PrinterStatus
from queue_server.domain.clock import ManualClock
from tests.floor.conftest import Floor
from tests.support.factories import SHANGHAI

SERVICE = "SOC"


def _offline(floor: Floor) -> list[dict[str, Any]]:
    answer = floor.api.get("/floor")
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()["offline_kiosks"]
    return rows


def test_a_kiosk_back_with_only_refused_entries_is_listed_as_refused(
    floor: Floor, clock: ManualClock, tmp_path: Path
) -> None:
    token = str(floor.kiosk.headers["Authorization"]).removeprefix("Bearer ")

    async def scenario() -> None:
        client = HallqClient(floor.server.url, "test", token=token)
        book = OfflineBook(tmp_path / "kiosk-journal.sqlite", "test", "kiosk-1")
        issuer = OfflineIssuer(
            client, book, "kiosk-1", patience=5, retry_every=0.05, clock=clock.now
        )
        issuer.zone = SHANGHAI
        reporter = DeviceReporter(client, "kiosk-1", heartbeat_every=600)
        reporter.journal = issuer.journal_state
        reporter.printer_status(PrinterStatus("ok", ""))
        try:
            assert await reporter.flush() is True
            assert await issuer.renew([SERVICE]) == 1
            [lease] = book.usable(SERVICE, clock.now())

            # Cut off: two visitors get numbers from the lease, and one entry is bad (a
            # number outside the block: a kiosk bug).
            for _ in range(2):
                clock.advance(timedelta(seconds=40))
                book.issue(SERVICE, "normal", clock.now())
            bad = lease.last + 3
            book._db.execute(
                "INSERT INTO journal (key, lease_id, service, seq_no, number, priority, "
                "issued_at, ticket_id) VALUES (?, ?, ?, ?, ?, 'normal', ?, ?)",
                (f"off-{lease.id}-{bad}", lease.id, SERVICE, bad, f"A{bad:03d}",
                 clock.now().isoformat(), "x" * 32),
            )  # fmt: skip

            # Back: the upload takes the two good ones and refuses the bad one.
            assert await issuer.upload() == 2
            pending, refused, since = issuer.journal_state()
            assert (pending, refused) == (0, 1) and since is not None
            assert await reporter.flush() is True
        finally:
            await client.aclose()
            book.close()

    asyncio.run(scenario())

    [kiosk] = _offline(floor)
    assert kiosk["device"] == "kiosk-1"
    assert (kiosk["silent"], kiosk["pending"], kiosk["refused"]) == (False, 0, 1)
    [device] = [d for d in floor.api.get("/floor").json()["devices"] if d["name"] == "kiosk-1"]
    assert (device["offline_pending"], device["offline_refused"]) == (0, 1)
