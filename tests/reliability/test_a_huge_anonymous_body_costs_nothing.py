"""Security review, finding 6 (docs/reliability.md): one anonymous 7.7 MB JSON body with 420,000
keys held the server for 4 s: every route took 8 MiB and parsed it before the access check. JSON
routes now take 64 KiB; only the booking import takes more, and reads its body after the access
check."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx

from queue_server.api.body_limit import DEFAULT_MAX_BODY_BYTES, IMPORT_MAX_BODY_BYTES
from queue_server.api.deps import Services
from queue_server.domain.access import Role
from tests.support.auth import staff_login
from tests.support.live_server import LiveServer

KEYS = json.dumps({f"k{n}": n for n in range(420_000)}).encode()
IMPORT = "/api/v1/halls/test/bookings/import"


def test_a_huge_body_is_refused_before_it_is_parsed(server: LiveServer) -> None:
    assert len(KEYS) > 7_000_000
    with httpx.Client(base_url=server.url, timeout=30) as http:
        for url in ("/api/v1/auth/login", "/api/v1/halls/test/tickets"):
            answer = http.post(url, content=KEYS, headers={"Content-Type": "application/json"})
            assert answer.status_code == 413, answer.text
            assert str(DEFAULT_MAX_BODY_BYTES) in answer.json()["message"]

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(KEYS), 65536):
                yield KEYS[start : start + 65536]

        chunked = http.post("/api/v1/auth/login", content=chunks())
        assert chunked.status_code == 413
        assert http.get("/api/v1/halls/test/snapshot").status_code == 200


def test_the_import_checks_the_caller_before_reading_its_body(
    server: LiveServer, services: Services
) -> None:
    garbage = b"{" * 5_000_000  # would be a 422 if it were parsed first
    headers = {"Content-Type": "application/json"}
    with httpx.Client(base_url=server.url, timeout=60) as http:
        anonymous = http.post(IMPORT, content=garbage, headers=headers)
        assert anonymous.status_code == 401, anonymous.text
        admin = staff_login(services, Role.ADMIN).headers
        parsed = http.post(IMPORT, content=garbage, headers={**headers, **admin})
        assert parsed.status_code == 422 and parsed.json()["error"] == "invalid_request"
        over = http.post(IMPORT, content=b" " * (IMPORT_MAX_BODY_BYTES + 1), headers=headers)
        assert over.status_code == 413
        large = {"format": "csv", "content": "x" * 1_000_000}
        nonsense = http.post(IMPORT, json=large, headers=admin)
        assert nonsense.status_code == 422  # a large import body is still read and judged
