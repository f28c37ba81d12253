"""A city on this machine: PostgreSQL primary + streaming standby, several `hallq serve`
hosts and HAProxy in front (tests/support/city.py), with a few demo halls.

    python scripts/city_bed.py                 # 3 halls, 3 hosts of 1 worker; Ctrl-C ends it
    python scripts/city_bed.py --check-only    # build, check each board's stream, tear down

Prints the balancer's URL, each host's, each hall board's URL and kiosk token, then makes a
call in each hall through the balancer and checks that the hall's board stream receives it.
Needs the PostgreSQL server binaries and haproxy (scripts/system-deps.sh).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from hallq_client.events import EventStream, StreamEvent  # noqa: E402
from tests.support.city import (  # noqa: E402
    City,
    CityShape,
    build_template,
    city_bed,
    missing_parts,
    own_by_postgres,
)


async def call_reaches_board(city: City, hall: str, timeout: float = 15.0) -> float:
    """Issue and call one ticket through the balancer; seconds until the board stream shows
    the call (its stream also goes through the balancer, to whichever host)."""
    tokens = city.template.tokens[hall]
    api = f"{city.balancer}/api/v1/halls/{hall}"
    async with httpx.AsyncClient(timeout=30) as http:
        since = (await http.get(f"{api}/snapshot")).json()["last_seq"]
        stream = EventStream(city.balancer, hall, since=since)
        called_id: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        async def watch() -> float:
            async for message in stream:
                if (
                    isinstance(message, StreamEvent)
                    and message.kind == "ticket.called"
                    and message.ticket == await called_id
                ):
                    return time.monotonic()
            raise RuntimeError("stream ended")

        watcher = asyncio.create_task(watch())
        while not stream.connected:
            await asyncio.sleep(0.02)
        kiosk = {"Authorization": f"Bearer {tokens.kiosk}"}
        clerk = {"Authorization": f"Bearer {tokens.clerks[1]}"}
        issued = await http.post(f"{api}/tickets", json={"service": "SOC"}, headers=kiosk)
        issued.raise_for_status()
        (await http.post(f"{api}/windows/1/sign-in", headers=clerk)).raise_for_status()
        start = time.monotonic()
        called = await http.post(f"{api}/windows/1/call-next", headers=clerk)
        called.raise_for_status()
        called_id.set_result(called.json()["id"])
        seen = await asyncio.wait_for(watcher, timeout)
        await stream.aclose()
        path = f"{api}/windows/1/tickets/{called.json()['id']}"
        (await http.post(f"{path}/start", headers=clerk)).raise_for_status()
        body = {"case_type": "immediate"}
        (await http.post(f"{path}/finish", json=body, headers=clerk)).raise_for_status()
        return seen - start


def check_boards(city: City) -> dict[str, float]:
    return {hall: asyncio.run(call_reaches_board(city, hall)) for hall in city.template.halls}


def describe(city: City) -> str:
    lines = [f"balancer  {city.balancer}  (HAProxy: {city.folder / 'haproxy.cfg'})"]
    lines += [f"host      {h.url}  ({h.name}, {h.workers} worker(s))" for h in city.hosts]
    lines.append(f"database  {city.database_url}")
    for hall, tokens in city.template.tokens.items():
        lines.append(f"hall {hall}  board {city.balancer}/board/{hall}  kiosk token {tokens.kiosk}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--halls", type=int, default=3)
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--check-only", action="store_true", help="check the boards and stop")
    args = parser.parse_args(argv)
    reason = missing_parts()
    if reason:
        print(f"cannot build the city: {reason}", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="hallq-demo-city-"))
    own_by_postgres(folder)  # PostgreSQL runs as postgres when this runs as root
    try:
        print(f"entering {args.halls} halls ...", flush=True)
        template = build_template(folder / "template", CityShape(halls=args.halls))
        print(f"starting {args.hosts} hosts, the standby and HAProxy ...", flush=True)
        with city_bed(template, hosts=args.hosts, workers=args.workers) as city:
            print(describe(city), flush=True)
            for hall, seconds in check_boards(city).items():
                print(f"hall {hall}: a call reached its board stream in {seconds * 1000:.0f} ms")
            if args.check_only:
                return 0
            print("running; Ctrl-C stops it and removes everything", flush=True)
            try:
                while all(h.alive for h in city.hosts):
                    time.sleep(1)
            except KeyboardInterrupt:
                pass
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
