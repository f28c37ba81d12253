"""The tablet shows the end-of-day forecast and draws today's arrivals by hour and the
waiting-time buckets itself (SVG, nothing loaded from outside)."""

from __future__ import annotations

from tests.floor.conftest import Floor, floor_page, wait_until


def test_forecast_and_charts(floor: Floor) -> None:
    for _ in range(2):
        assert floor.api.post("/tickets", json={"service": "SOC"}).status_code == 201
    assert floor.api.post("/windows/1/call-next").status_code == 200
    with floor_page(floor) as page:
        wait_until(page, "document.getElementById('forecast-verdict')")
        verdict = page.evaluate("document.getElementById('forecast-verdict').textContent")
        assert "当日号当日办结" in verdict or "闭厅前办不完" in verdict
        assert "closing 18:00" in page.evaluate("document.getElementById('forecast').textContent")
        arrivals = (
            "[...document.querySelectorAll('#chart-hours rect[data-series=\"arrivals_today\"]')]"
        )
        wait_until(page, f"{arrivals}.length === 9")
        # Hours 9..17; both tickets came at 10:00.
        values = page.evaluate(f"{arrivals}.map(r => Number(r.dataset.value))")
        assert values == [0, 2, 0, 0, 0, 0, 0, 0, 0]
        waits = "[...document.querySelectorAll('#chart-waits rect')]"
        assert page.evaluate(f"{waits}.map(r => Number(r.dataset.value))")[0] == 1
        external = page.evaluate(
            "performance.getEntriesByType('resource')"
            ".filter(e => !e.name.startsWith(location.origin)).length"
        )
        assert external == 0
