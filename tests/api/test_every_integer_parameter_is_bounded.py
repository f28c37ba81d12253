"""Every integer in a path or query is bounded: the OpenAPI document declares a minimum and a
maximum that fit the database column, and a sweep of every integer parameter of every
operation with 0, -1, 2^31 and 2^63 gets a clear 4xx JSON error, never a 5xx (a window of
2^31 was PostgreSQL's "integer out of range" 500). On SQLite and PostgreSQL, through a real
server, as the duty lead, a clerk signed in to window 1 and window 1's display."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from tests.support.auth import bearer, clerk_at, device_token, staff_login
from tests.support.factories import make_services, small_hall
from tests.support.live_server import LiveServer, live_server

OUT_OF_RANGE = (0, -1, 2**31, 2**63)
INT32_MAX = 2**31 - 1
# A value that exists for the path's other parameters, so only the swept one is wrong.
OTHER_PATH_VALUES = {"hall": "test", "window": "1", "year": "2026", "code": "SOC"}


@pytest.fixture
def built(database_url: str) -> Iterator[Services]:
    services = make_services(database_url, small_hall())
    yield services
    services.db.engine.dispose()


@pytest.fixture
def server(built: Services) -> Iterator[LiveServer]:
    with live_server(create_app(built)) as running:
        yield running


def integer_parameters(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter["schema"]
                kinds = [schema.get("type")] + [a.get("type") for a in schema.get("anyOf", [])]
                if "integer" in kinds:
                    found.append((method, path, parameter))
    return found


def test_every_integer_parameter_declares_bounds_that_fit_a_column(
    server: LiveServer,
) -> None:
    spec = httpx.get(f"{server.url}/openapi.json", timeout=60).json()
    swept = integer_parameters(spec)
    assert len(swept) >= 20  # every window route, the assessment year
    for method, path, parameter in swept:
        schema = parameter["schema"]
        where = f"{method.upper()} {path} {parameter['name']}"
        assert "minimum" in schema and "maximum" in schema, where
        assert schema["minimum"] >= 0 and schema["maximum"] <= INT32_MAX, where


def test_out_of_range_integers_get_a_clear_4xx_on_every_operation(
    server: LiveServer, built: Services
) -> None:
    spec = httpx.get(f"{server.url}/openapi.json", timeout=60).json()
    identities = {
        "duty lead": staff_login(built, Role.DUTY_LEAD).headers,
        "clerk at 1": clerk_at(built, 1).headers,
        "display 1": bearer(device_token(built, DeviceKind.DISPLAY, window=1, name="d1")),
    }
    failures = []
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for method, path, parameter in integer_parameters(spec):
            for value in OUT_OF_RANGE:
                url, query = _request(path, parameter, value)
                for who, headers in identities.items():
                    answer = client.request(method, url, params=query, headers=headers, json={})
                    body = answer.json()
                    ok = 400 <= answer.status_code < 500 and body.get("message")
                    if not ok:
                        failures.append(f"{who}: {method.upper()} {url} -> {answer.status_code}")
    assert failures == []


def test_a_window_out_of_range_is_named_in_the_error(server: LiveServer, built: Services) -> None:
    lead = staff_login(built, Role.DUTY_LEAD).headers
    for value in OUT_OF_RANGE:
        answer = httpx.post(
            f"{server.url}/api/v1/halls/test/windows/{value}/open", headers=lead, timeout=30
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"] == "invalid_request"
        assert "window" in answer.json()["message"]


def _request(path: str, parameter: dict[str, Any], value: int) -> tuple[str, dict[str, int]]:
    name = parameter["name"]
    query = {name: value} if parameter["in"] == "query" else {}

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key == name and parameter["in"] == "path":
            return str(value)
        return OTHER_PATH_VALUES.get(key, "x")

    return re.sub(r"\{(\w+)\}", fill, path), query
