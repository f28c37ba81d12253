"""Fixtures for the live event stream: servers with short heartbeats, and a duty lead's token
for the calls that make events (the stream itself is public)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.live.helpers import quick_settings
from tests.support.auth import duty_lead_headers
from tests.support.live_server import LiveServer, live_server


@pytest.fixture
def lead(services: Services) -> dict[str, str]:
    return duty_lead_headers(services)


@pytest.fixture
def live(services: Services) -> Iterator[LiveServer]:
    """A real uvicorn on SQLite with heartbeats every 0.3 s."""
    with live_server(create_app(services, quick_settings())) as running:
        yield running


@pytest.fixture
def live_any(services_any: Services) -> Iterator[LiveServer]:
    """The same, once on SQLite and once on PostgreSQL."""
    with live_server(create_app(services_any, quick_settings())) as running:
        yield running


@pytest.fixture
def lead_any(services_any: Services) -> dict[str, str]:
    return duty_lead_headers(services_any)
