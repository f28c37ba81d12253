"""A city behind HAProxy (tests/support/city.py): 100 halls of 8 windows on a PostgreSQL
primary with a streaming standby, three `hallq serve` hosts, HAProxy in front.

    .venv/bin/python -m bench.bench_city [--parts rates,boards,kill,failover] [--workers 1]

rates     issue and call rates through the balancer with 1, 2 and 3 hosts behind it (three
          balancers over the same hosts, same run): the ratio to 1 host is the figure
boards    call-to-board latency p50/p99 with 1,000 board connections spread over the hosts
kill      SIGKILL one host under load: seconds from the kill to the last client answered again
failover  stop the primary, promote the standby under load: seconds from the primary being
          down to the first ticket acknowledged by the promoted standby

Absolute figures depend on what else the machine runs; read them as ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

from hallq_client.events import EventStream, StreamEvent
from tests.support.city import (
    Balancer,
    City,
    CityShape,
    Template,
    build_template,
    city_bed,
    missing_parts,
    own_by_postgres,
)
from tests.support.city_load import CityLoad, LoadShape, check_city, percentile, run_load

BOARDS = 1000


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _rates(base: str, template: Template, seconds: float) -> tuple[float, float]:
    """Kiosks of every hall issue for `seconds`; then each staffed window calls and finishes
    for `seconds`. Returns (tickets/s, calls/s)."""
    halls = template.halls
    limits = httpx.Limits(max_connections=300, max_keepalive_connections=300)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        issued = 0

        async def kiosk(hall: str, until: float) -> None:
            nonlocal issued
            while time.monotonic() < until:
                r = await http.post(
                    f"{base}/api/v1/halls/{hall}/tickets", json={"service": "SOC"},
                    headers={**_auth(template.tokens[hall].kiosk),
                             "Idempotency-Key": uuid.uuid4().hex},
                )  # fmt: skip
                if r.status_code == 201:
                    issued += 1

        start = time.monotonic()
        await asyncio.gather(*(kiosk(h, start + seconds) for h in halls))
        issue_rate = issued / (time.monotonic() - start)
        calls = 0

        async def clerk(hall: str, window: int, token: str, until: float) -> None:
            nonlocal calls
            api = f"{base}/api/v1/halls/{hall}/windows/{window}"
            await http.post(f"{api}/sign-in", headers=_auth(token))
            while time.monotonic() < until:
                r = await http.post(f"{api}/call-next", headers=_auth(token))
                if r.status_code != 200:
                    break
                calls += 1
                path = f"{api}/tickets/{r.json()['id']}"
                await http.post(f"{path}/start", headers=_auth(token))
                await http.post(f"{path}/finish", json={"case_type": "immediate"},
                                headers=_auth(token))  # fmt: skip

        start = time.monotonic()
        await asyncio.gather(*(
            clerk(h, w, t, start + seconds)
            for h in halls for w, t in template.tokens[h].clerks.items()
        ))  # fmt: skip
        call_rate = calls / (time.monotonic() - start)
        # Leave no one waiting for the next part: the rest are called at window 1 and finished.
        return issue_rate, call_rate


def part_rates(city: City, seconds: float) -> None:
    print("\n## rates through the balancer (same hosts, 1, 2, 3 of them behind it)")
    base_issue = base_call = 0.0
    for n in range(1, len(city.hosts) + 1):
        balancer = Balancer(city.folder, city.hosts[:n], name=f"haproxy-{n}")
        balancer.start()
        try:
            balancer.wait_ready()
            issue, call = asyncio.run(_rates(balancer.url, city.template, seconds))
        finally:
            balancer.stop()
        if n == 1:
            base_issue, base_call = issue, call
        print(f"{n} host(s): issue {issue:7.1f}/s ({issue / base_issue:4.2f}x)   "
              f"call+start+finish {call:7.1f}/s ({call / base_call:4.2f}x)")  # fmt: skip
    _drain_queues(city)


def _drain_queues(city: City) -> None:
    """Cancel nothing: call and finish whatever the rates part left waiting (window 1)."""

    async def drain() -> None:
        async with httpx.AsyncClient(timeout=60) as http:

            async def hall(h: str) -> None:
                token = city.template.tokens[h].clerks[1]
                api = f"{city.balancer}/api/v1/halls/{h}/windows/1"
                await http.post(f"{api}/sign-in", headers=_auth(token))
                while True:
                    r = await http.post(f"{api}/call-next", headers=_auth(token))
                    if r.status_code != 200:
                        return
                    path = f"{api}/tickets/{r.json()['id']}"
                    await http.post(f"{path}/start", headers=_auth(token))
                    await http.post(f"{path}/finish", json={"case_type": "immediate"},
                                    headers=_auth(token))  # fmt: skip

            await asyncio.gather(*(hall(h) for h in city.template.halls))

    asyncio.run(drain())


async def _boards(city: City, rounds: int) -> list[float]:
    halls = city.template.halls
    arrivals: dict[str, list[float]] = {}
    streams: list[EventStream] = []

    async def follow(stream: EventStream) -> None:
        async for message in stream:
            if isinstance(message, StreamEvent) and message.kind == "ticket.called":
                arrivals.setdefault(message.ticket or "", []).append(time.monotonic())

    async with httpx.AsyncClient(timeout=60) as http:
        tasks = []
        for n in range(BOARDS):
            host = city.hosts[n % len(city.hosts)]
            # A board starts from a snapshot; only the calls after it are timed.
            stream = EventStream(host.url, halls[n % len(halls)], silence_timeout=3600)
            streams.append(stream)
            tasks.append(asyncio.create_task(follow(stream)))
            if len(streams) % 50 == 0:  # connect in batches, as a city's boards power up
                while not all(s.connected for s in streams):
                    await asyncio.sleep(0.05)
        while not all(s.connected for s in streams):
            await asyncio.sleep(0.1)
        latencies: list[float] = []
        for r in range(rounds):
            hall = halls[r % len(halls)]
            tokens = city.template.tokens[hall]
            api = f"{city.balancer}/api/v1/halls/{hall}"
            await http.post(f"{api}/tickets", json={"service": "SOC"},
                            headers=_auth(tokens.kiosk))  # fmt: skip
            await http.post(f"{api}/windows/1/sign-in", headers=_auth(tokens.clerks[1]))
            called = await http.post(f"{api}/windows/1/call-next",
                                     headers=_auth(tokens.clerks[1]))  # fmt: skip
            acked = time.monotonic()
            if called.status_code != 200:
                print(f"  {hall}: call-next answered {called.status_code} {called.text[:120]}")
                continue
            ticket = called.json()["id"]
            followers = BOARDS // len(halls)
            deadline = acked + 10
            while len(arrivals.get(ticket, [])) < followers and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            latencies += [max(0.0, t - acked) for t in arrivals.get(ticket, [])]
            path = f"{api}/windows/1/tickets/{ticket}"
            await http.post(f"{path}/start", headers=_auth(tokens.clerks[1]))
            await http.post(f"{path}/finish", json={"case_type": "immediate"},
                            headers=_auth(tokens.clerks[1]))  # fmt: skip
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return latencies


def part_boards(city: City, rounds: int) -> None:
    print(f"\n## call-to-board latency, {BOARDS} boards spread over {len(city.hosts)} hosts")
    latencies = asyncio.run(_boards(city, rounds))
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    print(f"{len(latencies)} deliveries over {rounds} calls: p50 {p50:.0f} ms, p99 {p99:.0f} ms")


def part_kill(city: City) -> None:
    print("\n## SIGKILL one host under load (3 tickets per hall, 2 clerks per hall)")
    victim = city.hosts[0]
    load = CityLoad(city.balancer, city.template, LoadShape(tickets_per_hall=3),
                    fault=victim.kill, fault_after=len(city.template.halls))  # fmt: skip
    record = run_load(load)
    assert load.fault_at is not None
    problems = check_city(city.writable_url, record)
    print(
        f"last client back {seconds(record.last_back(load.fault_at))} after the kill; "
        f"statuses {dict(record.statuses)}; problems {len(problems)}"
    )


def seconds(value: float | None) -> str:
    return "never out (nobody noticed)" if value is None else f"{value:.1f} s"


def part_failover(city: City) -> None:
    print("\n## stop the primary, promote the standby under load")
    load = CityLoad(city.balancer, city.template, LoadShape(tickets_per_hall=3),
                    fault=city.fail_over, fault_after=len(city.template.halls))  # fmt: skip
    record = run_load(load)
    assert city.primary_stopped_at is not None
    # Only a request sent after the primary was down can have been answered by the standby
    # (an answer read later may have been committed before: the client loop runs late).
    after = [read for sent, read in record.acked_at if sent > city.primary_stopped_at]
    first = min(after) - city.primary_stopped_at if after else float("nan")
    problems = check_city(city.writable_url, record)
    print(
        f"first ticket acknowledged {first:.2f} s after the primary went down; last client "
        f"back {seconds(record.last_back(city.primary_stopped_at))}; statuses "
        f"{dict(record.statuses)}; problems {len(problems)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="rates,boards,kill,failover")
    parser.add_argument("--halls", type=int, default=100)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0, help="per rate measurement")
    parser.add_argument("--rounds", type=int, default=30, help="calls timed in `boards`")
    args = parser.parse_args(argv)
    reason = missing_parts()
    if reason:
        print(f"cannot build the city: {reason}", file=sys.stderr)
        return 2
    parts = args.parts.split(",")
    folder = Path(tempfile.mkdtemp(prefix="hallq-bench-city-"))
    own_by_postgres(folder)
    try:
        started = time.monotonic()
        template = build_template(folder / "template", CityShape(halls=args.halls))
        print(
            f"# A city behind HAProxy: {args.halls} halls x 8 windows, 3 hosts x "
            f"{args.workers} worker(s); template built in {time.monotonic() - started:.0f} s"
        )
        with city_bed(template, hosts=3, workers=args.workers) as city:
            if "rates" in parts:
                part_rates(city, args.seconds)
            if "boards" in parts:
                part_boards(city, args.rounds)
            if "kill" in parts:
                part_kill(city)
            if "failover" in parts:
                part_failover(city)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
