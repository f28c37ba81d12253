"""A kiosk back with nothing left to upload but entries the server refused today: the floor
monitor's "Kiosks cut off" card says how many and what to do ("拒收 M 张：请人工登记 / M
refused: serve by hand"), not "back, not reconciled"; once the kiosk reports neither, the
row goes. Real server, the kiosk's own token over HTTP, the page in headless Chromium."""

from __future__ import annotations

from queue_server.domain.clock import ManualClock
from tests.floor.conftest import Floor, floor_page, wait_until

ROW = "document.querySelector('#offline-kiosks li[data-kiosk=\"kiosk-1\"]')"


def _status(floor: Floor, pending: int, refused: int, since: str | None) -> None:
    body = {
        "kind": "kiosk",
        "printer": {"state": "ok"},
        "offline": {"pending": pending, "refused": refused, "since": since},
    }
    answer = floor.kiosk.post("/status", json=body)
    assert answer.status_code == 200, answer.text


def test_the_floor_page_says_to_serve_refused_entries_by_hand(
    floor: Floor, clock: ManualClock
) -> None:
    _status(floor, 0, 2, clock.now().isoformat())
    with floor_page(floor) as page:
        wait_until(page, ROW)
        text = page.evaluate(f"{ROW}.innerText")
        assert "拒收 2 张：请人工登记" in text and "2 refused: serve by hand" in text, text
        assert "待对账" not in text and "not reconciled" not in text, text
        assert "未对账" not in text and "unreconciled" not in text, text

        # Tickets still to upload come first: "back, not reconciled", the refusals beside.
        _status(floor, 1, 2, clock.now().isoformat())
        wait_until(page, f"{ROW}.innerText.includes('未对账 1 张')")
        text = page.evaluate(f"{ROW}.innerText")
        assert "已恢复，待对账" in text and "back, not reconciled" in text, text
        assert "2 refused: serve by hand" in text, text

        _status(floor, 0, 0, None)  # neither (its refusals were of another business day)
        wait_until(page, f"!{ROW}")
        assert page.evaluate("document.getElementById('offline-kiosks-panel').hidden")
