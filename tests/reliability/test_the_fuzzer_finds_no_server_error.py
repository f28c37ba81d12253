"""schemathesis over the server's whole OpenAPI document, as every kind of caller (no token,
garbage, revoked, each device kind, each staff role): no 5xx, and every error is JSON with a
message. Routes added later are fuzzed too: the operations come from /openapi.json.

On both engines: PostgreSQL refuses what SQLite lets through (a number beyond a 32-bit
column, a string longer than its column, a NUL byte), so a 5xx can hide behind SQLite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from tests.support.factories import make_services
from tests.support.fuzzing import fuzz, identities
from tests.support.live_server import LiveServer, live_server

# Per operation, per mode (valid / invalid input): CI-sized; bench/bench_reliability_fuzz.py
# runs the long version.
EXAMPLES = 3


@pytest.fixture
def fuzzed(database_url: str, clock: ManualClock) -> Iterator[tuple[LiveServer, Services]]:
    services = make_services(database_url, clock=clock)
    try:
        with live_server(create_app(services)) as server:
            yield server, services
    finally:
        services.db.engine.dispose()


def test_the_fuzzer_finds_no_server_error(fuzzed: tuple[LiveServer, Services]) -> None:
    server, services = fuzzed
    who = identities(services)
    report = fuzz(server.url, who, examples=EXAMPLES)

    assert report.operations >= 40
    assert set(report.requests) == set(who)  # every identity was used
    assert report.total >= report.operations * EXAMPLES
    assert not report.failures, "\n".join(f"{k}\n    {v}" for k, v in report.failures.items())
