"""A long wait, a pause over its limit, a printer out of paper and a help request, each made
through the API, raise the matching alert on the duty lead's tablet without a reload."""

from __future__ import annotations

from datetime import timedelta

from queue_server.domain.clock import ManualClock
from tests.floor.conftest import Floor, alert_on_page, floor_page, wait_until


def test_each_condition_shows_its_alert(floor: Floor, clock: ManualClock) -> None:
    with floor_page(floor) as page:
        assert page.evaluate(alert_on_page("help_requested")) is None

        assert floor.kiosk.post("/help", json={"request_id": "h-1", "screen": "guide"}).is_success
        wait_until(page, alert_on_page("help_requested"))

        status = {"kind": "kiosk", "printer": {"state": "paper_out"}}
        assert floor.kiosk.post("/status", json=status).is_success
        wait_until(page, alert_on_page("printer_paper_out"))
        assert "kiosk-1" in page.evaluate(alert_on_page("printer_paper_out") + ".textContent")

        assert floor.api.post("/tickets", json={"service": "SOC"}).status_code == 201
        assert floor.api.post("/windows/2/pause", json={"reason": "break"}).is_success
        assert page.evaluate(alert_on_page("wait_over_target")) is None
        assert page.evaluate(alert_on_page("pause_over_limit")) is None
        # Time alone makes these two: the SOC target is 30 minutes, a break's limit 15.
        clock.advance(timedelta(minutes=31))
        wait_until(page, alert_on_page("wait_over_target", "[data-rule]"))
        wait_until(page, alert_on_page("pause_over_limit"))
        soc = page.evaluate(alert_on_page("wait_over_target") + ".textContent")
        assert "社保" in soc and "31" in soc
        assert "2号窗口" in page.evaluate(alert_on_page("pause_over_limit") + ".textContent")
        # The queue's tile turns red against the target, the paused window shows its reason.
        wait_until(
            page,
            "document.querySelector('#services [data-service=\"SOC\"]')"
            ".classList.contains('tile-red')",
        )
        assert "休息" in page.evaluate(
            "document.querySelector('#windows [data-window=\"2\"]').textContent"
        )

    stored = {a["rule"] for a in floor.alerts()}
    assert {
        "help_requested",
        "printer_paper_out",
        "wait_over_target",
        "pause_over_limit",
    } <= stored
