"""/openapi.json is valid OpenAPI 3.1 (openapi-spec-validator), declares how every operation
can fail in the shape the server really answers, and carries the validation rules the routes
enforce: bounded windows, days as YYYY-MM-DD, the phone and ID-number formats of booking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import OpenAPIV31SpecValidator

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.appointments import InvalidPersonalData, validate_id_number, validate_phone
from tests.support.auth import staff_login
from tests.support.factories import make_services, small_hall
from tests.support.live_server import LiveServer, live_server

ERROR_REF = {"$ref": "#/components/schemas/Error"}
CHANGES = {"post", "put", "patch", "delete"}


@pytest.fixture
def built(sqlite_url: str) -> Iterator[Services]:
    services = make_services(sqlite_url, small_hall())
    yield services
    services.db.engine.dispose()


@pytest.fixture
def server(built: Services) -> Iterator[LiveServer]:
    with live_server(create_app(built)) as running:
        yield running


@pytest.fixture
def spec(server: LiveServer) -> dict[str, Any]:
    document: dict[str, Any] = httpx.get(f"{server.url}/openapi.json", timeout=60).json()
    return document


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_it_validates_as_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    errors = [str(e)[:300] for e in OpenAPIV31SpecValidator(spec).iter_errors()]
    assert errors == []


def test_every_operation_declares_its_errors_in_the_servers_shape(spec: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in operations(spec):
        expected = {"401", "503"}
        if "{hall}" in path:
            expected |= {"403", "404"}
        if method in CHANGES:
            expected.add("409")
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add("422")
        responses = operation["responses"]
        for status in sorted(expected):
            declared = responses.get(status, {}).get("content", {}).get("application/json", {})
            if declared.get("schema") != ERROR_REF:
                missing.append(f"{method.upper()} {path} {status}")
    assert missing == []
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_real_errors_match_the_declared_shape(
    server: LiveServer, built: Services, spec: dict[str, Any]
) -> None:
    check = OAS31Validator(spec["components"]["schemas"]["Error"])
    lead = staff_login(built, Role.DUTY_LEAD).headers
    base = f"{server.url}/api/v1/halls/test"
    assert httpx.post(
        f"{base}/tickets", json={"service": "TAX"}, headers=lead, timeout=30
    ).is_success
    assert httpx.post(f"{base}/windows/2/call-next", headers=lead, timeout=30).status_code == 200
    window = "/api/v1/halls/{hall}/windows/{window}"
    answers = [
        (401, "post", window + "/open", httpx.post(f"{base}/windows/1/open", timeout=30)),
        (404, "get", "/api/v1/halls/{hall}/snapshot", httpx.get(f"{base}x/snapshot", timeout=30)),
        # A visitor is at window 2: closing it is refused until the case moves on.
        (409, "post", window + "/close", httpx.post(f"{base}/windows/2/close", json={},
                                                    headers=lead, timeout=30)),
        (422, "get", "/api/v1/halls/{hall}/duty-log",
         httpx.get(f"{base}/duty-log", params={"day": "0"}, headers=lead, timeout=30)),
    ]  # fmt: skip
    for status, method, path, answer in answers:
        assert answer.status_code == status, answer.text
        check.validate(answer.json())
        assert str(status) in spec["paths"][path][method]["responses"]
    assert "day" in answers[-1][3].json()["message"]


ACCEPTED_PHONES = ["13812345678", "138-1234-5678", "+86 138 1234 5678", "19912345678"]
REFUSED_PHONES = ["12812345678", "1381234567", "138123456789", "23812345678", "138a2345678"]
ID_FORMATS = ["11010519491231002X", "11010519491231002x", "110105194912310021"]
NOT_ID_FORMATS = ["11010519491231002Y", "1101051949123100", "A10105194912310021"]


def test_the_phone_and_id_number_rules_are_in_the_schema(spec: dict[str, Any]) -> None:
    book = spec["components"]["schemas"]["BookIn"]["properties"]
    phone, id_number = book["phone"]["pattern"], book["id_number"]["pattern"]
    assert (book["id_number"]["minLength"], book["id_number"]["maxLength"]) == (18, 18)
    # The schema's patterns say what the service's validators accept, format-wise.
    for sample in ACCEPTED_PHONES:
        assert re.fullmatch(phone, sample) and validate_phone(sample)
    for sample in REFUSED_PHONES:
        assert not re.fullmatch(phone, sample)
        with pytest.raises(InvalidPersonalData):
            validate_phone(sample)
    for sample in ID_FORMATS:
        assert re.fullmatch(id_number, sample)
    for sample in NOT_ID_FORMATS:
        assert not re.fullmatch(id_number, sample)
        with pytest.raises(InvalidPersonalData):
            validate_id_number(sample)
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


def test_windows_and_days_carry_their_bounds(spec: dict[str, Any]) -> None:
    call_next = spec["paths"]["/api/v1/halls/{hall}/windows/{window}/call-next"]["post"]
    [window] = [p for p in call_next["parameters"] if p["name"] == "window"]
    assert (window["schema"]["minimum"], window["schema"]["maximum"]) == (1, 999)
    duty_log = spec["paths"]["/api/v1/halls/{hall}/duty-log"]["get"]
    [day] = [p for p in duty_log["parameters"] if p["name"] == "day"]
    assert {"type": "string", "format": "date"} in day["schema"]["anyOf"]
