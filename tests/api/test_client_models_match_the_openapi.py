"""hallq_client.models says what the server answers; /openapi.json, fetched from a real
uvicorn, says what it really does. Every model's fields, their required-ness and their types
must match its schema, and a drift on either side fails here (checked on a spoilt copy)."""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal

import httpx
import pytest

from hallq_client import models
from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.support.factories import make_services, small_hall
from tests.support.live_server import live_server

# client model -> the response schema it mirrors
SCHEMA_OF: dict[str, str] = {
    "Text": "TextOut",
    "Hall": "HallOut",
    "Publics": "PublicsOut",
    "Service": "ServiceOut",
    "Wait": "WaitOut",
    "Ticket": "TicketOut",
    "Clerk": "ClerkOut",
    "Window": "WindowOut",
    "Queue": "QueueOut",
    "Snapshot": "SnapshotOut",
    "Handover": "HandoverOut",
    "WindowState": "WindowStateOut",
    "Recorded": "RecordedOut",
    "User": "UserOut",
    "Login": "LoginOut",
    "Principal": "PrincipalOut",
    "SignIn": "SignInOut",
    "WindowDay": "WindowDayOut",
    "Notice": "NoticeOut",
    "Deadline": "DeadlineOut",
    "LevelOption": "LevelOut",
    "RatingOptions": "RatingOptionsOut",
    "RatingRecorded": "RatingOut",
    "Slot": "SlotOut",
    "Booking": "BookingOut",
    "CheckIn": "CheckInOut",
    "CardOffer": "CardOfferOut",
    "CardPresented": "CardPresentedOut",
    "CardIssued": "CardIssuedOut",
    "OpenCase": "OpenCaseOut",
    "Conclusion": "ConclusionOut",
}
MODEL_OF = {schema: model for model, schema in SCHEMA_OF.items()}
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from queue_server.storage.engine import make_engine
    from queue_server.storage.migrate import upgrade

    url = f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'hallq.sqlite3'}"
    upgrade(make_engine(url))
    services: Services = make_services(url, small_hall())
    try:
        with live_server(create_app(services)) as server:
            yield httpx.get(f"{server.url}/openapi.json", timeout=10).json()
    finally:
        services.db.engine.dispose()


def model_classes() -> dict[str, type]:
    return {
        name: value
        for name, value in vars(models).items()
        if isinstance(value, type) and typing.is_typeddict(value)
    }


def from_python(hint: Any) -> Any:
    """An annotation as a comparable shape."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is type(None) or hint is None:
        return "None"
    if hint in (str, int, float, bool):
        return hint.__name__
    if origin is Literal:
        return ("literal", frozenset(args))
    if origin in (typing.Union, types.UnionType):
        return ("union", frozenset(from_python(a) for a in args))
    if origin is list:
        return ("list", from_python(args[0]))
    if origin is dict:
        return ("dict", from_python(args[1]))
    if hint is Any:
        return "any"
    if isinstance(hint, type) and typing.is_typeddict(hint):
        return ("model", hint.__name__)
    raise AssertionError(f"no shape for {hint!r}")


def from_schema(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A JSON schema as the same comparable shape."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        target = components[name]
        if "enum" in target:
            return ("literal", frozenset(target["enum"]))
        return ("model", MODEL_OF.get(name, f"<no model for {name}>"))
    if "anyOf" in schema:
        return ("union", frozenset(from_schema(s, components) for s in schema["anyOf"]))
    if "enum" in schema:
        return ("literal", frozenset(schema["enum"]))
    if "const" in schema:
        return ("literal", frozenset([schema["const"]]))
    kind = schema.get("type")
    if kind in SCALARS:
        return SCALARS[kind]
    if kind == "array":
        return ("list", from_schema(schema.get("items", {}), components))
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return ("dict", from_schema(schema["additionalProperties"], components))
    return "any"


def mismatches(spec: dict[str, Any]) -> list[str]:
    components = spec["components"]["schemas"]
    found: list[str] = []
    for name, model in model_classes().items():
        if name not in SCHEMA_OF:
            found.append(f"{name}: not mapped to a schema in SCHEMA_OF")
            continue
        schema = components.get(SCHEMA_OF[name])
        if schema is None:
            found.append(f"{name}: the server has no schema {SCHEMA_OF[name]}")
            continue
        properties = schema.get("properties", {})
        fields = set(typing.get_type_hints(model))
        if fields != set(properties):
            found.append(f"{name}: fields {sorted(fields ^ set(properties))} differ")
        required = set(schema.get("required", []))
        if set(model.__required_keys__) != required:  # type: ignore[attr-defined]
            flipped = set(model.__required_keys__) ^ required  # type: ignore[attr-defined]
            found.append(f"{name}: required-ness of {sorted(flipped)} differs")
        hints = typing.get_type_hints(model)
        for field in sorted(fields & set(properties)):
            ours, theirs = from_python(hints[field]), from_schema(properties[field], components)
            if ours != theirs:
                found.append(f"{name}.{field}: {ours} here, {theirs} on the server")
    return found


def test_every_client_model_matches_its_schema(spec: dict[str, Any]) -> None:
    assert mismatches(spec) == []
    assert set(model_classes()) == set(SCHEMA_OF)


def test_a_drift_on_the_server_is_caught(spec: dict[str, Any]) -> None:
    spoilt = copy.deepcopy(spec)
    ticket = spoilt["components"]["schemas"]["TicketOut"]
    ticket["properties"]["ticket_no"] = ticket["properties"].pop("number")  # a rename
    ticket["required"] = [f for f in ticket["required"] if f != "window"]  # now optional
    ticket["properties"]["recall_count"] = {"type": "string"}  # another type
    assert mismatches(spoilt) == [
        "Ticket: fields ['number', 'ticket_no'] differ",
        "Ticket: required-ness of ['window'] differs",
        "Ticket.recall_count: int here, str on the server",
    ]
