"""Every kind of the catalogue is written by a service, has one payload type, and each
payload a service writes as a literal carries exactly its type's fields."""

from __future__ import annotations

import ast

from queue_server.domain.events import PAYLOADS, EventKind, payload_fields
from tests.events.catalogue_scan import ROOT, kinds_named

SERVICES = ROOT / "queue_server" / "services"


def test_every_kind_has_a_payload_type() -> None:
    assert set(PAYLOADS) == set(EventKind)


def test_every_kind_is_named_by_a_service() -> None:
    named: set[str] = set()
    for path in SERVICES.rglob("*.py"):
        named |= kinds_named(path)
    assert sorted(k.name for k in EventKind if k.name not in named) == []


def literal_payloads() -> list[tuple[str, int, EventKind, set[str]]]:
    """(file, line, kind, keys) of append_event calls with a named kind and a dict literal."""
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # module constants such as SIGNED_IN = EventKind.CLERK_SIGNED_IN
        constants = {
            target.id: node.value.attr
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Attribute)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "EventKind"
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "append_event"):
                continue
            kind = node.args[2] if len(node.args) > 2 else None
            payload = next((k.value for k in node.keywords if k.arg == "payload"), None)
            if (
                isinstance(kind, ast.Attribute)
                and isinstance(kind.value, ast.Name)
                and kind.value.id == "EventKind"
            ):
                name = kind.attr
            elif isinstance(kind, ast.Name) and kind.id in constants:
                name = constants[kind.id]
            else:
                continue
            if isinstance(payload, ast.Dict) and all(
                isinstance(k, ast.Constant) for k in payload.keys
            ):
                keys = {k.value for k in payload.keys if isinstance(k, ast.Constant)}
                found.append((path.name, node.lineno, EventKind[name], keys))
    return found


def test_literal_payloads_carry_their_types_fields() -> None:
    checked = literal_payloads()
    assert len(checked) >= 20  # the scan found the producers
    wrong = []
    for name, line, kind, keys in checked:
        required, optional = payload_fields(kind)
        if not required <= keys <= required | optional:
            wrong.append((name, line, kind.value, sorted(keys), sorted(required | optional)))
    assert wrong == []
