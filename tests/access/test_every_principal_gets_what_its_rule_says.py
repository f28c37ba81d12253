"""The role-and-scope matrix: every route of the application, called by every kind of caller,
is refused (401 without a valid token, 403 otherwise, as JSON saying why) exactly when its
rule in queue_server/api/access.py says so, and let through otherwise (whatever the route
then answers: 200, 404, 409, 422...).

The expectation is worked out here from the rule's parts, independently of the server's
`decide`, so a mistake in either shows up as a disagreement.
"""

from __future__ import annotations

import asyncio
import re

import httpx
import websockets
from websockets.exceptions import InvalidStatus

from queue_server.api.access import RULES, RouteInfo, app_routes
from queue_server.domain.access import Role, Rule, Scope
from tests.access.conftest import Hall, Who
from tests.support.auth import bearer

ANONYMOUS = Who("anonymous")


def expected_allowed(rule: Rule, who: Who, path: str) -> bool:
    if rule.public:
        # A token sent anyway is checked: another hall's is refused on that hall's routes.
        return who is ANONYMOUS or who.hall == "test" or "{hall}" not in path
    if who is ANONYMOUS:
        return False
    if who.role is not None and who.role not in rule.roles:
        return False
    if who.device is not None and who.device not in rule.devices:
        return False
    if rule.scope is Scope.NONE:
        return True
    if who.hall != "test":
        return False
    window_bound = who.device is not None or who.role is Role.CLERK
    # Paths name window 1 and the kiosk's own name, see `fill`.
    return not (rule.scope is Scope.WINDOW and window_bound and who.window != 1)


def fill(route: RouteInfo, hall: Hall, who: Who) -> str:
    values = {
        "hall": "test",
        "window": "1",
        "ticket_id": hall.ticket_id,
        "device": who.device_name or "kiosk-1",
        "follow_up_id": hall.follow_up_id,
        "service": "SOC",
        "name": "index.css",
    }
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), route.path)


def call(
    http: httpx.Client, hall: Hall, route: RouteInfo, who: Who
) -> tuple[int, dict[str, object] | None]:
    token = None if who is ANONYMOUS else hall.token(who)
    headers = bearer(token) if token else {}
    url = hall.server.url + fill(route, hall, who)
    if route.websocket:
        return asyncio.run(_connect(url.replace("http", "ws", 1), headers)), None
    method = "GET" if "GET" in route.methods else sorted(route.methods)[0]
    response = http.request(method, url, headers=headers)
    is_json = response.headers.get("content-type", "").startswith("application/json")
    return response.status_code, response.json() if is_json else None


async def _connect(url: str, headers: dict[str, str]) -> int:
    try:
        async with websockets.connect(url, additional_headers=headers, open_timeout=5) as ws:
            await asyncio.wait_for(ws.recv(), 5)
            return 101
    except InvalidStatus as exc:
        return exc.response.status_code


def test_the_matrix(hall: Hall) -> None:
    routes = app_routes(hall.server.app)
    callers = [ANONYMOUS, *hall.people.values()]
    disagreements = []
    with httpx.Client(timeout=30) as http:
        for route in routes:
            rule = RULES[route.name]
            for who in callers:
                hall.restore()
                status, body = call(http, hall, route, who)
                allowed = expected_allowed(rule, who, route.path)
                refused = status in (401, 403)
                if allowed == refused:
                    disagreements.append(f"{route.name} by {who.name}: {status} {body}")
                elif refused and not route.websocket:
                    assert status == (401 if who is ANONYMOUS else 403), (route.name, who.name)
                    assert body is not None and body["error"] and body["message"], body
    assert not disagreements, "\n".join(disagreements)
