"""A call made on one app host reaches a board connected to another: the hosts share nothing
but the database, so only PostgreSQL's NOTIFY can carry it (the heartbeat's re-read is an hour
away in this bed)."""

from __future__ import annotations

import asyncio
import time

import httpx

from hallq_client.events import EventStream, StreamEvent
from tests.support.city import City

HALL = "h100"


async def first_call_seen(stream: EventStream, ticket: asyncio.Future[str]) -> float:
    async for message in stream:
        if (
            isinstance(message, StreamEvent)
            and message.kind == "ticket.called"
            and message.ticket == await ticket
        ):
            return time.monotonic()
    raise AssertionError("the stream ended")


async def scenario(city: City) -> tuple[float, float]:
    on_a, on_b = city.hosts[0].url, city.hosts[1].url
    tokens = city.template.tokens[HALL]
    api = f"{on_a}/api/v1/halls/{HALL}"
    async with httpx.AsyncClient(timeout=30) as http:
        since = (await http.get(f"{on_b}/api/v1/halls/{HALL}/snapshot")).json()["last_seq"]
        stream = EventStream(on_b, HALL, since=since, silence_timeout=3600)
        ticket: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        watcher = asyncio.create_task(first_call_seen(stream, ticket))
        while not stream.connected:
            await asyncio.sleep(0.02)
        kiosk = {"Authorization": f"Bearer {tokens.kiosk}"}
        clerk = {"Authorization": f"Bearer {tokens.clerks[1]}"}
        issued = await http.post(f"{api}/tickets", json={"service": "SOC"}, headers=kiosk)
        assert issued.status_code == 201, issued.text
        assert (await http.post(f"{api}/windows/1/sign-in", headers=clerk)).status_code == 200
        called = await http.post(f"{api}/windows/1/call-next", headers=clerk)
        acknowledged = time.monotonic()
        assert called.status_code == 200, called.text
        assert called.json()["id"] == issued.json()["id"]
        ticket.set_result(called.json()["id"])
        seen = await asyncio.wait_for(watcher, timeout=10)
        await stream.aclose()
        path = f"{api}/windows/1/tickets/{called.json()['id']}"
        for step, body in (("start", None), ("finish", {"case_type": "immediate"})):
            assert (await http.post(f"{path}/{step}", json=body, headers=clerk)).status_code == 200
    return acknowledged, seen


def test_a_call_on_host_a_shows_on_a_board_of_host_b(city: City) -> None:
    assert city.env["HALLQ_LIVE_HEARTBEAT_SECONDS"] == "3600"
    acknowledged, seen = asyncio.run(scenario(city))
    assert seen - acknowledged < 5.0
