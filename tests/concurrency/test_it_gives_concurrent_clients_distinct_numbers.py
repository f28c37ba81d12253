"""500 tickets from 20 concurrent clients give 500 distinct numbers, on both engines."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from queue_server.api.app import create_app
from tests.support.auth import bearer, device_token
from tests.support.factories import make_services, small_hall
from tests.support.live_server import live_server

CLIENTS = 20
PER_CLIENT = 25


def test_500_tickets_from_20_clients_get_500_distinct_numbers(database_url: str) -> None:
    services = make_services(database_url, small_hall())
    kiosks = [bearer(device_token(services, name=f"kiosk-{n}")) for n in range(CLIENTS)]
    with live_server(create_app(services)) as server:

        def client(number: int) -> list[str]:
            with httpx.Client(base_url=server.url, timeout=60, headers=kiosks[number]) as http:
                numbers = []
                for _ in range(PER_CLIENT):
                    response = http.post("/api/v1/halls/test/tickets", json={"service": "SOC"})
                    assert response.status_code == 201, response.text
                    numbers.append(response.json()["number"])
                return numbers

        with ThreadPoolExecutor(CLIENTS) as pool:
            numbers = [n for batch in pool.map(client, range(CLIENTS)) for n in batch]
    services.db.engine.dispose()
    assert len(numbers) == CLIENTS * PER_CLIENT
    assert sorted(numbers) == [f"A{i:03d}" for i in range(1, CLIENTS * PER_CLIENT + 1)]
