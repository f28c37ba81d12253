"""The booking volume limits (per address, per phone, per ID number) hold when the bookings
arrive at several server processes on one database (`hallq serve --workers K`, or several
hosts on one PostgreSQL): the counts are rows in the database, changed by compare-and-set,
not a dictionary in each process."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.bookings.helpers import id_number, person
from tests.support.busy_day import HALL, DayShape, prepare
from tests.support.server_process import ServerProcess

SLOTS = f"/api/v1/halls/{HALL}/booking-slots"
HALL_CLOCK_START = "2027-03-10T10:00:05+08:00"
BOOK = f"/api/v1/halls/{HALL}/bookings"


@pytest.fixture(scope="module")
def two_servers(
    module_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServerProcess, ...]]:
    # One pair of server processes per engine for the module: starting them is most of the
    # cost. Each test books with its own addresses, phones and ID numbers.
    database_url = module_database_url
    tmp_path = tmp_path_factory.mktemp("two-servers")
    prepared = prepare(
        database_url, DayShape(tickets=0, windows=2, subscribers=0, kiosks=0), tmp_path
    )
    env = {
        "HALLQ_ID_KEY_FILE": str(tmp_path / "id.key"),
        "HALLQ_CHAIN_KEY_FILE": str(tmp_path / "chain.key"),
        # uvicorn believes X-Forwarded-For from the loopback proxy: each test caller has its own
        # address, as it would behind the hall's nginx (docs/deploy.md).
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        # The limits count in fixed windows (an hour per address): on the wall clock a burst
        # sent a few seconds before the hour struck would straddle two windows and pass
        # (CI met one at hh:59). A Wednesday morning five seconds into its hour keeps every
        # burst of this module inside one window on any date the suite runs.
        "HALLQ_CLOCK_START": HALL_CLOCK_START,
    }
    servers = []
    try:
        for n in range(2):
            server = ServerProcess(
                database_url,
                config=prepared.config_path,
                log_path=tmp_path / f"server-{n}.log",
                extra_env=env,
            )
            servers.append(server.start())
        yield tuple(servers)
    finally:
        for server in servers:
            server.stop()


def later_slots(server: ServerProcess) -> list[str]:
    """Slots that do not start within the next hours (the test must not race the clock)."""
    slots = [s["start"] for s in httpx.get(server.url + SLOTS, params={"service": "SOC"}).json()]
    return slots[4:]


def book(server: ServerProcess, slot: str, address: str, **who: str) -> httpx.Response:
    body = {"service": "SOC", "slot_start": slot, **who}
    return httpx.post(
        server.url + BOOK, json=body, headers={"X-Forwarded-For": address}, timeout=60
    )


def test_one_address_is_limited_across_two_processes(
    two_servers: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = two_servers
    slots = later_slots(a)
    answers = [
        book((a, b)[n % 2], slots[n % len(slots)], "203.0.113.7", **person(n)) for n in range(14)
    ]
    codes = [r.status_code for r in answers]
    assert codes == [201] * 10 + [429] * 4, codes
    for refused in answers[10:]:
        assert refused.json()["error"] == "too_many_bookings"
        assert 0 < int(refused.headers["Retry-After"]) <= 3600
    # Another address is not affected.
    assert book(b, slots[0], "203.0.113.8", **person(99)).status_code == 201


def test_one_phone_racing_at_two_processes_gets_its_limit_only(
    two_servers: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = two_servers
    slots = later_slots(a)

    def attempt(n: int) -> httpx.Response:
        who = person(200 + n, phone="13912345678")
        return book((a, b)[n % 2], slots[n % len(slots)], f"198.51.100.{n + 1}", **who)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(attempt, range(8)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] * 3 + [429] * 5, codes
    refused = next(r for r in answers if r.status_code == 429)
    assert "phone" in refused.json()["message"]
    assert int(refused.headers["Retry-After"]) > 0


def test_one_id_number_racing_at_two_processes_gets_its_limit_only(
    two_servers: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = two_servers
    slots = later_slots(a)
    by_day: dict[str, str] = {}
    for slot in slots:
        by_day.setdefault(slot[:10], slot)
    days = sorted(by_day)
    assert len(days) >= 4, days
    one_id = id_number(77)

    def attempt(n: int) -> httpx.Response:
        who = person(300 + n, id_number=one_id)
        return book((a, b)[n % 2], by_day[days[n]], f"192.0.2.{n + 1}", **who)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(attempt, range(4)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] * 3 + [429], codes
    refused = next(r for r in answers if r.status_code == 429)
    assert "ID number" in refused.json()["message"]
