"""What the concurrency tests share: two worker processes' services on one PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_server.api.deps import Services
from tests.support.factories import make_services, small_hall


@pytest.fixture
def two_workers(postgres_url: str) -> Iterator[tuple[Services, Services]]:
    """Two services built apart, each with its own engine, as two worker processes have."""
    first = make_services(postgres_url, small_hall())
    second = make_services(postgres_url, small_hall())
    yield first, second
    first.db.engine.dispose()
    second.db.engine.dispose()
