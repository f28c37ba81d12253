"""Property-based fuzzing of the whole API (schemathesis) as every kind of caller.

The operations come from the running server's own /openapi.json, so routes added later are
fuzzed without touching this file. Each operation gets schema-valid and schema-violating
requests (schemathesis positive and negative modes); each request goes out as one of the
identities (no token, garbage, a revoked device, every device kind, every staff role), with
the path's hall and window often pinned to ones that exist so the requests get past 404.
A failure is any 5xx, or an error (4xx) whose body is not JSON with a non-empty message.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, GenerationMode

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from queue_server.services.device_tokens import DeviceTokens
from tests.support.auth import bearer, clerk_at, device_token, staff_login

# Fuzzing these would end the identity it runs as for the rest of the run (the token is
# revoked); they are fuzzed as callers without a valid token only.
SELF_REVOKING = frozenset({"logout"})
WITHOUT_TOKEN = ("none", "garbage", "malformed", "revoked_device")


def identities(services: Services, hall: str = "test") -> dict[str, dict[str, str]]:
    revoked = device_token(services, DeviceKind.KIOSK, hall=hall, name="fuzz-revoked")
    DeviceTokens(services.db, services.clock).revoke_if_present(hall, "fuzz-revoked")
    return {
        "none": {},
        "garbage": bearer("not-a-token-at-all"),
        "malformed": {"Authorization": "Basic Zm9vOmJhcg=="},
        "revoked_device": bearer(revoked),
        "kiosk": bearer(device_token(services, DeviceKind.KIOSK, hall=hall)),
        "display": bearer(device_token(services, DeviceKind.DISPLAY, hall=hall, window=1)),
        "board": bearer(device_token(services, DeviceKind.BOARD, hall=hall)),
        "clerk": clerk_at(services, 1, hall=hall).headers,
        "duty_lead": staff_login(services, Role.DUTY_LEAD, hall=hall).headers,
        "supervisor": staff_login(services, Role.SUPERVISOR, hall=hall).headers,
        "admin": staff_login(services, Role.ADMIN, hall=hall).headers,
    }


@dataclass
class FuzzReport:
    operations: int = 0
    requests: Counter[str] = field(default_factory=Counter)  # by identity
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)  # "METHOD path status" -> example
    not_generated: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.requests.values())


def error_problem(status: int, content_type: str, text: str) -> str | None:
    if status >= 500:
        return f"server error {status}"
    if status < 400:
        return None
    if "application/json" not in content_type:
        return f"error {status} is not JSON ({content_type or 'no content type'})"
    try:
        body = json.loads(text)
    except ValueError:
        return f"error {status} body is not valid JSON"
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message.strip():
        return f"error {status} has no message"
    return None


def fuzz(
    base_url: str,
    who: Mapping[str, dict[str, str]],
    *,
    examples: int,
    hall: str = "test",
    windows: int = 3,
) -> FuzzReport:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    report = FuzzReport()
    for result in schema.get_all_operations():
        operation = result.ok()
        report.operations += 1
        revoking = operation.definition.raw.get("operationId") in SELF_REVOKING
        names = list(WITHOUT_TOKEN) if revoking else list(who)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            target = Target(base_url, hall, windows, who, names, report)
            try:
                _fuzz_operation(operation, mode, examples, target)
            except Exception as exc:
                # Nothing to violate, or a generation error in schemathesis itself: not the
                # server's fault, but listed in the report.
                report.not_generated.append(f"{operation.label} {mode.value}: {exc!r}"[:300])
    return report


@dataclass(frozen=True)
class Target:
    base_url: str
    hall: str
    windows: int
    who: Mapping[str, dict[str, str]]
    names: list[str]
    report: FuzzReport


def _header(response: Any, name: str) -> str:
    value = response.headers.get(name, "")
    return str(value[0] if isinstance(value, list) and value else value)


def _fuzz_operation(
    operation: APIOperation, mode: GenerationMode, examples: int, target: Target
) -> None:
    report = target.report

    @given(
        case=operation.as_strategy(generation_mode=mode),
        caller=st.sampled_from(target.names),
        pin=st.booleans(),
        window=st.integers(1, target.windows),
    )
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case, caller: str, pin: bool, window: int) -> None:
        if pin and case.path_parameters is not None:
            if "hall" in case.path_parameters:
                case.path_parameters["hall"] = target.hall
            if "window" in case.path_parameters and mode is GenerationMode.POSITIVE:
                case.path_parameters["window"] = window
        headers = dict(target.who[caller])
        response = case.call(base_url=target.base_url, headers=headers, timeout=30)
        report.requests[caller] += 1
        report.statuses[response.status_code] += 1
        problem = error_problem(
            response.status_code, _header(response, "content-type"), response.text
        )
        if problem:
            report.failures.setdefault(
                f"{case.method} {operation.path} {problem}",
                f"as {caller}: {case.as_curl_command(headers)} -> {response.text[:300]}",
            )

    run()
