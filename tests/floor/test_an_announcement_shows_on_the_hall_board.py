"""The duty lead's announcement appears on the hall board at once, and a board that opens
later shows it too, until it expires."""

from __future__ import annotations

from datetime import timedelta

from queue_server.domain.clock import ManualClock
from tests.board.conftest import board, wait_text
from tests.floor.conftest import Floor

BANNER = "#announcement .announcement-text"


def test_the_board_shows_the_announcement(floor: Floor, clock: ManualClock) -> None:
    with board(floor.server.url) as page:
        assert page.evaluate("document.getElementById('announcement').hidden")
        made = floor.api.post("/announcements", json={"text": "系统维护，请稍候", "minutes": 10})
        assert made.status_code == 201
        wait_text(page, BANNER, "系统维护，请稍候")
        assert not page.evaluate("document.getElementById('announcement').hidden")
    with board(floor.server.url) as page:
        wait_text(page, BANNER, "系统维护，请稍候")
    # What a board that opens after expiry is given: nothing to show.
    assert floor.api.get("/announcements/current").json()["text"] == "系统维护，请稍候"
    clock.advance(timedelta(minutes=11))
    assert floor.api.get("/announcements/current").json() is None
