"""The OpenAPI document says how every operation can fail, as the server really answers.

FastAPI declares only 200 and its own 422 shape; the server answers every error as
`{"error", "message", "details"?}` (api/errors.py) with the status of queue_server/api/errors
and the access rule of api/access.py. The statuses declared per operation follow from those:

- 401 on every operation: a missing token where one is needed, or a bad or revoked token sent
  anyway (a token is checked wherever it is sent);
- 403 where a rule needs a role or device, and on every route of a hall (another hall's token);
- 404 where the path names something (a hall, window, ticket, booking...);
- 409 on every operation that changes something (a state that forbids it: already closed, a
  visitor at the window, issuing stopped, a staff number taken...);
- 422 wherever there are parameters or a body, in the server's error shape;
- 429 on login (throttled), 503 everywhere (the database busy or restarting: retry).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from queue_server.api.access import rule_for

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "a code, e.g. window_closed, not_found"},
        "message": {"type": "string", "description": "what is wrong, in words"},
        "details": {
            "type": "array",
            "description": "422: one item per invalid field",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "problem": {"type": "string"}},
            },
        },
    },
}

WHY = {
    "401": "No valid token: none sent where one is needed, or a bad or revoked one sent",
    "403": "The token may not do this here (role, device, window, or another hall's token)",
    "404": "Something the path names does not exist (hall, window, ticket...)",
    "409": "The current state refuses it (e.g. already closed, a visitor at the window)",
    "422": "Invalid parameters or body; `details` names each field",
    "429": "Too many failed logins from here; retry after Retry-After seconds",
    "503": "The database is busy or restarting; retry in a moment",
}
CHANGES = {"post", "put", "patch", "delete"}


def install_error_responses(app: FastAPI) -> None:
    plain = app.openapi
    app.openapi_schema = None  # a schema built earlier (the access check reads routes) is stale

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = plain()
        _declare_errors(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _declare_errors(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            # Operation ids are the route functions' names, the keys of the access rules.
            name = operation.get("operationId")
            rule = rule_for(name)
            statuses = {"401", "503"}
            if rule is None or not rule.public or "{hall}" in path:
                statuses.add("403")
            if "{" in path:
                statuses.add("404")
            if method in CHANGES:
                statuses.add("409")
            if operation.get("parameters") or operation.get("requestBody"):
                statuses.add("422")
            if name == "login":
                statuses.add("429")
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses[status] = {
                    "description": WHY[status],
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
    # FastAPI's own 422 shapes are no longer referenced: the server never answers them.
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
