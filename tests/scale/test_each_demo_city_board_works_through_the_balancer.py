"""The hall board of each demo hall, opened in Chromium through the balancer, shows a call
made through the balancer (the page and its websocket may land on any host); and the demo
script's own check (`make demo-city`, scripts/city_bed.py) passes on the same city."""

from __future__ import annotations

import asyncio

import httpx

from scripts.city_bed import call_reaches_board
from tests.board.conftest import board, wait_text
from tests.support.city import City

DEMO_HALLS = ("h001", "h002", "h003")


def tile(window: int) -> str:
    return f"#windows [data-window='{window}'] .ticket"


def test_each_board_shows_a_call_made_through_the_balancer(city: City) -> None:
    for hall in DEMO_HALLS:
        tokens = city.template.tokens[hall]
        api = f"{city.balancer}/api/v1/halls/{hall}"
        kiosk = {"Authorization": f"Bearer {tokens.kiosk}"}
        clerk = {"Authorization": f"Bearer {tokens.clerks[2]}"}
        with board(city.balancer, hall) as page, httpx.Client(timeout=30) as http:
            issued = http.post(f"{api}/tickets", json={"service": "TAX"}, headers=kiosk)
            assert issued.status_code == 201, issued.text
            assert http.post(f"{api}/windows/2/sign-in", headers=clerk).status_code == 200
            called = http.post(f"{api}/windows/2/call-next", headers=clerk)
            assert called.status_code == 200, called.text
            wait_text(page, tile(2), called.json()["number"], timeout=10)
            path = f"{api}/windows/2/tickets/{called.json()['id']}"
            assert http.post(f"{path}/start", headers=clerk).status_code == 200
            finish = http.post(f"{path}/finish", json={"case_type": "immediate"}, headers=clerk)
            assert finish.status_code == 200
        assert asyncio.run(call_reaches_board(city, hall)) < 10
