"""The floor monitor lists a kiosk cut off from the server: judged from its silence while it
is away, then with the count of tickets it issued offline once it is back and says so, until
its journal upload reconciles them. Real server, the kiosk's own token over HTTP, and the
row on the page in headless Chromium."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from queue_server.domain.clock import ManualClock
from tests.floor.conftest import Floor, floor_page, wait_until


def _offline(floor: Floor) -> list[dict[str, Any]]:
    answer = floor.api.get("/floor")
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()["offline_kiosks"]
    return rows


def _status(floor: Floor, pending: int, since: str | None) -> None:
    body = {
        "kind": "kiosk",
        "printer": {"state": "ok"},
        "offline": {"pending": pending, "since": since},
    }
    answer = floor.kiosk.post("/status", json=body)
    assert answer.status_code == 200, answer.text


def test_a_kiosk_with_offline_tickets_shows_until_its_upload(
    floor: Floor, clock: ManualClock
) -> None:
    _status(floor, 0, None)
    lease = floor.kiosk.post("/leases", json={"service": "SOC", "request_id": "lease-request-1"})
    assert lease.status_code in (200, 201), lease.text
    block = lease.json()
    assert _offline(floor) == []

    # Cut off: nothing reaches the server; it issues three numbers from its block.
    cut_at = clock.now()
    entries = []
    for i in range(3):
        clock.advance(timedelta(seconds=50))
        entries.append(
            {
                "key": f"off-{block['id']}-{block['first'] + i}",
                "lease": block["id"],
                "seq_no": block["first"] + i,
                "issued_at": clock.now().isoformat(),
            }
        )
    clock.advance(timedelta(seconds=200))  # past device_offline_seconds (150)
    [away] = _offline(floor)
    assert away["device"] == "kiosk-1" and away["silent"] is True
    assert away["pending"] is None  # only the kiosk knows, and it cannot say
    assert away["leased_unreconciled"] == block["last"] - block["first"] + 1
    assert away["since"] is not None and abs(_parse(away["since"]) - cut_at) < timedelta(seconds=1)

    # Back: it reports its journal before the upload has gone through.
    _status(floor, 3, cut_at.isoformat())
    [back] = _offline(floor)
    assert (back["silent"], back["pending"]) == (False, 3)
    assert _parse(back["since"]) == cut_at
    with floor_page(floor) as page:
        wait_until(page, "document.querySelector('#offline-kiosks li[data-kiosk=\"kiosk-1\"]')")
        text = page.evaluate("document.getElementById('offline-kiosks').innerText")
        assert "未对账 3 张" in text and "3 unreconciled" in text, text

    upload = floor.kiosk.post("/journal", json={"entries": entries})
    assert upload.status_code in (200, 201), upload.text
    _status(floor, 0, None)
    assert _offline(floor) == []


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
