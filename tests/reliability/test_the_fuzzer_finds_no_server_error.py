"""schemathesis over the server's whole OpenAPI document, as every kind of caller (no token,
garbage, revoked, each device kind, each staff role): no 5xx, and every error is JSON with a
message. Routes added later are fuzzed too: the operations come from /openapi.json."""

from __future__ import annotations

from queue_server.api.deps import Services
from tests.support.fuzzing import fuzz, identities
from tests.support.live_server import LiveServer

# Per operation, per mode (valid / invalid input): CI-sized; bench/bench_reliability_fuzz.py
# runs the long version.
EXAMPLES = 3


def test_the_fuzzer_finds_no_server_error(server: LiveServer, services: Services) -> None:
    who = identities(services)
    report = fuzz(server.url, who, examples=EXAMPLES)

    assert report.operations >= 40
    assert set(report.requests) == set(who)  # every identity was used
    assert report.total >= report.operations * EXAMPLES
    assert not report.failures, "\n".join(f"{k}\n    {v}" for k, v in report.failures.items())
