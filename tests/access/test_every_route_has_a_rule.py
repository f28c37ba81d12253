"""Every route of the application, in the OpenAPI document or not (pages, websockets), has an
access rule; a route added without one fails here (and is refused at run time)."""

from __future__ import annotations

from queue_server.api.access import RULES, app_routes
from queue_server.api.app import create_app
from queue_server.api.deps import Services


def test_every_route_has_a_rule(services: Services) -> None:
    app = create_app(services)
    in_openapi = {
        operation["operationId"]
        for path in app.openapi()["paths"].values()
        for operation in path.values()
    }
    routes = {route.name for route in app_routes(app)}
    assert in_openapi <= routes, "the route walk must see everything the OpenAPI shows"
    assert any(route.websocket for route in app_routes(app)), "websocket routes are walked too"
    missing = sorted(routes - set(RULES))
    assert not missing, f"routes without an access rule in queue_server/api/access.py: {missing}"


def test_no_rule_names_a_route_that_does_not_exist(services: Services) -> None:
    routes = {route.name for route in app_routes(create_app(services))}
    stale = sorted(set(RULES) - routes)
    assert not stale, f"rules for routes that no longer exist: {stale}"
