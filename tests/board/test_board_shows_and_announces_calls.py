"""A call made through the API shows on the board at once, flashes, and is announced in
Mandarin then English; a recall is announced again."""

from __future__ import annotations

import httpx

from queue_server.api.deps import Services
from tests.board.conftest import (
    board,
    classes_of,
    count,
    spoken,
    wait_class,
    wait_text,
    wait_until,
)
from tests.support.auth import duty_lead_headers
from tests.support.live_server import LiveServer

SOC_WAITING = "#queues [data-service='SOC'] .waiting"


def tile(window: int, part: str = "") -> str:
    return f"#windows [data-window='{window}'] {part}".strip()


def test_a_call_appears_flashes_and_is_announced(live: LiveServer, services: Services) -> None:
    api = httpx.Client(
        base_url=f"{live.url}/api/v1/halls/test", headers=duty_lead_headers(services)
    )
    api.post("/tickets", json={"service": "SOC"})
    api.post("/tickets", json={"service": "TAX"})
    with board(live.url) as page:
        wait_text(page, "#hall-zh", "测试大厅")
        wait_text(page, SOC_WAITING, "1")

        called = api.post("/windows/3/call-next").json()
        wait_text(page, tile(3, ".ticket"), "A001", timeout=1.0)
        assert "flash" in classes_of(page, tile(3))
        assert page.evaluate("document.querySelector('#calls .call').dataset.number") == "A001"
        assert page.evaluate("document.querySelector('#calls .call').dataset.window") == "3"
        wait_until(page, "window.hallqBoard.spoken.length === 1", timeout=1.0)
        [entry] = spoken(page)
        assert (entry["number"], entry["window"], entry["kind"]) == ("A001", 3, "ticket.called")
        assert entry["zh"] == "请 A001 号到 3 号窗口办理"
        assert entry["en"] == "Number A001, please go to window 3"
        assert entry["tokens"]["zh"][-4:] == ["zh_3", "zh_hao", "zh_chuangkou", "zh_banli"]
        wait_text(page, SOC_WAITING, "0")

        api.post(f"/windows/3/tickets/{called['id']}/recall")
        wait_until(page, "window.hallqBoard.spoken.length === 2")
        recall = spoken(page)[1]
        assert (recall["kind"], recall["zh"]) == ("ticket.recalled", entry["zh"])
        assert count(page, "#calls .call.recall") == 1

        api.post(f"/windows/3/tickets/{called['id']}/start")
        wait_class(page, tile(3), "state-serving")
        api.post("/windows/2/pause", json={"reason": "break"})
        wait_text(page, tile(2, ".window-state"), "休息")
        assert len(spoken(page)) == 2
