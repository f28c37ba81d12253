"""The floor monitor on the tablets of docs/devices.md, with alerts of two kinds open: nothing
wider than the screen or clipped, text at least 16 px, contrast at least 4.5:1."""

from __future__ import annotations

from tests.floor.conftest import Floor, alert_on_page, floor_page, wait_until
from tests.support.handheld import handheld_problems
from tests.support.screens import TABLET_SCREENS, set_screen


def test_the_floor_monitor_fits_every_tablet(floor: Floor) -> None:
    assert floor.kiosk.post("/help", json={"request_id": "h-1"}).is_success
    problems: list[str] = []
    with floor_page(floor) as page:
        wait_until(page, alert_on_page("help_requested"))
        for screen in TABLET_SCREENS:
            set_screen(page, screen)
            problems += handheld_problems(page, screen)
    assert not problems, "\n".join(problems)
