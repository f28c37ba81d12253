"""The server's own worker collects and delivers 好差评 records while it runs, when the hall
has reporting on, with no command from anyone."""

from __future__ import annotations

import time
from pathlib import Path

from queue_server.api.app import create_app
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from tests.support.factories import make_services
from tests.support.haocha import RatedVisits, reporting_hall
from tests.support.haocha_receiver import HaochaReceiver
from tests.support.live_server import live_server


def test_a_rating_reaches_the_platform_while_the_server_runs(
    sqlite_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    with HaochaReceiver() as receiver:
        hall = reporting_hall(receiver.url, tmp_path, deliver_every_seconds=0.2)
        services = make_services(sqlite_url, hall, clock=clock)
        try:
            with live_server(create_app(services)):
                rating = RatedVisits(services, clock).rate(Level.SATISFIED)
                deadline = time.monotonic() + 20
                while not receiver.received.records and time.monotonic() < deadline:
                    time.sleep(0.1)
        finally:
            services.db.engine.dispose()
    assert list(receiver.received.records) == [f"test-{rating}"]
    assert receiver.received.bad_signatures == 0
