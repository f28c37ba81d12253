from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx

from queue_server.domain.tickets import CaseType, Priority
from queue_server.queueing.actions import CallNext, Finish, Issue, Issued
from queue_server.queueing.demand import ClerkBehaviour
from queue_server.queueing.planning import DayPlan, Visitor
from queue_server.simulation.live import Credentials, HttpHall, Pacer

AT = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
VISITOR = Visitor("SOC-0", "SOC", Priority.NORMAL, 600.0, 5.0, 1.0, False, CaseType.IMMEDIATE)


def test_the_kiosk_issues_and_each_window_acts_with_its_own_token() -> None:
    seen: list[tuple[str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("Authorization")))
        if request.url.path.endswith("/tickets"):
            return httpx.Response(201, json={"id": "t1", "number": "A001", "service": "SOC"})
        if request.url.path.endswith("/call-next"):
            return httpx.Response(204)
        return httpx.Response(200, json={})

    hall = HttpHall(
        "http://hall",
        "demo",
        Credentials(token="lead", kiosk="kiosk", clerks={2: "clerk-2"}),
        transport=httpx.MockTransport(answer),
    )

    async def play() -> list[Any]:
        answers = [
            await hall.execute(Issue(AT, VISITOR)),
            await hall.execute(CallNext(AT, 2)),
            await hall.execute(Finish(AT, 3, "t1", CaseType.PROMISED)),
        ]
        await hall.aclose()
        return answers

    issued, called, _ = asyncio.run(play())
    assert issued == Issued("t1", "A001")
    assert called is None
    assert seen == [
        ("/api/v1/halls/demo/tickets", "Bearer kiosk"),
        ("/api/v1/halls/demo/windows/2/call-next", "Bearer clerk-2"),
        ("/api/v1/halls/demo/windows/3/tickets/t1/finish", "Bearer lead"),
    ]


def test_without_tokens_nothing_is_sent() -> None:
    seen: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("Authorization"))
        return httpx.Response(409, json={"error": "hall_closed", "message": "closed"})

    hall = HttpHall("http://hall", "demo", transport=httpx.MockTransport(answer))
    assert asyncio.run(hall.execute(Issue(AT, VISITOR))) is None  # refused at the kiosk
    assert seen == [None]


def test_the_pacer_skips_the_lunch_break() -> None:
    plan = DayPlan(
        day=AT.date(),
        timezone="Asia/Shanghai",
        sessions=((540.0, 720.0), (840.0, 1080.0)),
        start=540.0,
        windows=(),
        visitors=(),
        clerks=ClerkBehaviour(),
        fallback_handling={},
    )
    clock = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    pacer = Pacer(plan, speed=60.0, sleep=sleep, monotonic=lambda: clock[0])

    async def play() -> None:
        await pacer.until(600.0)  # 10:00: an hour at 60x is a minute
        await pacer.until(745.0)  # 12:25, draining the morning queue after closing
        await pacer.until(845.0)  # 14:05: the break is skipped, 5 minutes remain

    asyncio.run(play())
    assert slept == [60.0, 145.0, 5.0]
