"""20 windows calling next at once over 1,000 tickets call each ticket exactly once."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from queue_server.api.app import create_app
from queue_server.services.tickets import IssueRequest
from queue_server.storage.tables import Event
from tests.support.auth import clerk_at
from tests.support.factories import make_services, small_hall
from tests.support.live_server import live_server

WINDOWS = 20
TICKETS = 1000


def test_20_windows_over_1000_tickets_call_each_exactly_once(database_url: str) -> None:
    services = make_services(database_url, small_hall(extra_windows=WINDOWS - 3))
    for i in range(TICKETS):
        services.queue.issue("test", IssueRequest("SOC" if i % 3 else "TAX"))
    clerks = {n: clerk_at(services, n).headers for n in range(1, WINDOWS + 1)}
    with live_server(create_app(services)) as server:

        def window(number: int) -> list[str]:
            called = []
            with httpx.Client(base_url=server.url, timeout=60, headers=clerks[number]) as http:
                base = f"/api/v1/halls/test/windows/{number}"
                while True:
                    response = http.post(f"{base}/call-next")
                    if response.status_code == 204:
                        return called
                    assert response.status_code == 200, response.text
                    ticket = response.json()["id"]
                    called.append(ticket)
                    freed = http.post(f"{base}/tickets/{ticket}/no-show")
                    assert freed.status_code == 200, freed.text

        with ThreadPoolExecutor(WINDOWS) as pool:
            calls = [t for batch in pool.map(window, range(1, WINDOWS + 1)) for t in batch]
    with services.db.read() as session:
        logged = Counter(
            session.scalars(select(Event.ticket_id).where(Event.kind == "ticket.called"))
        )
    services.db.engine.dispose()
    assert len(calls) == len(set(calls)) == TICKETS
    assert set(logged.values()) == {1}
    assert len(logged) == TICKETS
