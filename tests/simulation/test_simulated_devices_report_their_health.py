"""The demo's simulated kiosk and window displays report their health like real ones, so the
duty lead's floor monitor shows them online instead of "not reporting"."""

from __future__ import annotations

import asyncio

from queue_server.api.deps import Services
from queue_server.services.floor_view import read_floor
from queue_server.simulation.live import HttpHall
from queue_server.simulation.provision import KIOSK_NAME, display_name, provision
from tests.support.factories import small_hall
from tests.support.live_server import LiveServer


def _statuses(services: Services) -> dict[str, tuple[str, str | None]]:
    with services.db.read() as session:
        floor = read_floor(session, services.halls.get("test"), services.clock.now())
    return {d.name: (d.status, d.printer) for d in floor.devices}


def test_provisioned_devices_go_online_on_the_floor(server: LiveServer, services: Services) -> None:
    config = small_hall()
    credentials = provision(services.db, services.clock, config)
    displays = [display_name(w.number) for w in config.windows]
    before = _statuses(services)
    assert {before[name][0] for name in [KIOSK_NAME, *displays]} == {"not_reporting"}

    hall = HttpHall(server.url, "test", credentials)

    async def report() -> None:
        await hall.report_health()
        await hall.aclose()

    asyncio.run(report())
    after = _statuses(services)
    assert after[KIOSK_NAME] == ("online", "ok")
    assert {after[name][0] for name in displays} == {"online"}
