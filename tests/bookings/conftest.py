"""Fixtures of the booking tests: the bookable hall of tests/bookings/helpers.py on a server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.config.models import HallConfig
from queue_server.domain.access import DeviceKind
from queue_server.domain.clock import ManualClock
from tests.bookings.helpers import booking_hall
from tests.support.api import Api
from tests.support.auth import bearer, device_token, duty_lead_headers
from tests.support.factories import make_services
from tests.support.live_server import LiveServer, live_server
from tests.support.webhook_receiver import Receiver


@pytest.fixture
def hall_config() -> HallConfig:
    return booking_hall()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """SQLite for every test; PostgreSQL too for modules with `BOTH_DATABASES = True` (the
    ones whose SQL differs between the engines: locks, partial indexes, transactions)."""
    if "engine" in metafunc.fixturenames:
        both = getattr(metafunc.module, "BOTH_DATABASES", False)
        metafunc.parametrize("engine", ["sqlite", "postgres"] if both else ["sqlite"])


@pytest.fixture
def services(
    engine: str, request: pytest.FixtureRequest, clock: ManualClock, hall_config: HallConfig
) -> Iterator[Services]:
    url = str(request.getfixturevalue("sqlite_url" if engine == "sqlite" else "postgres_url"))
    built = make_services(url, hall_config, clock=clock)
    built.bookings.sweep_every = 3600.0  # tests sweep by hand
    yield built
    built.db.engine.dispose()


@pytest.fixture
def server(services: Services) -> Iterator[LiveServer]:
    with live_server(create_app(services)) as running:
        yield running


@pytest.fixture
def public(server: LiveServer) -> Iterator[Api]:
    """The API as a visitor's phone: no token."""
    client = Api(server.url)
    yield client
    client.http.close()


@pytest.fixture
def lead(server: LiveServer, services: Services) -> Iterator[Api]:
    client = Api(server.url, headers=duty_lead_headers(services))
    yield client
    client.http.close()


@pytest.fixture
def kiosk(server: LiveServer, services: Services) -> Iterator[Api]:
    """The API as a kiosk (a device token does not expire when the test clock jumps)."""
    token = device_token(services, DeviceKind.KIOSK, name="kiosk-1")
    client = Api(server.url, headers=bearer(token))
    yield client
    client.http.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()
