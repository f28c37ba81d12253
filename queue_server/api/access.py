"""Access control for the whole API, in one place.

`RULES` maps every route (by its operation id, the route function's name) to one rule of
queue_server.domain.access. The `authorize` dependency is installed once on the application:
it finds the rule of the route being called, authenticates the bearer token (a staff login
or a device), checks role and scope (hall, window, the device itself, the ticket's window)
and leaves the principal on `request.state.principal` for the route to pass on as the
event's actor. A route with no rule is refused (deny by default) and fails the matrix test
in tests/access; add its rule here when adding the route.

Decisions worth knowing:
- The event stream (`hall_events`), the snapshot, the services list and the ticket status
  page are public and read-only: the hall board is a browser on a TV that cannot put a
  header on a WebSocket, and nothing on them is confidential (events carry no account or
  device ids, and a rating's event names neither the ticket nor the level). A token that is
  sent anyway is still checked, so a revoked display is refused rather than served.
- Issuing a ticket: kiosks, and the duty lead guiding a visitor on the floor.
- Window moves: the clerk signed in to that window, on that window's tickets; the duty lead
  anywhere in the hall. Supervision and the administrator do not run windows.
- Rating: only the display bound to the window, for the case just finished there.
- A move on a ticket named in the path checks the ticket's window itself, in its own
  transaction (CHECKED_BY_THE_MOVE): the same 403, without a read here first.
- Health and metrics (/healthz, /readyz, /metrics) are public: probes and Prometheus carry no
  token, and the figures are counts the board shows anyway (docs/deploy.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import HTTPConnection

from queue_server.domain.access import (
    ALL_DEVICES,
    ALL_ROLES,
    PUBLIC,
    SIGNS_IN,
    Device,
    DeviceKind,
    Principal,
    Role,
    Rule,
    Scope,
    Staff,
    Target,
    decide,
    devices,
    is_window_bound,
    staff,
)
from queue_server.services.errors import Forbidden, NotFound, Unauthenticated
from queue_server.services.event_log import SYSTEM, Actor
from queue_server.services.principals import authenticate, cached_principal, ticket_place

log = logging.getLogger("hallq.access")

CLERK, DUTY_LEAD, SUPERVISOR, ADMIN = Role.CLERK, Role.DUTY_LEAD, Role.SUPERVISOR, Role.ADMIN
KIOSK, DISPLAY, BOARD = DeviceKind.KIOSK, DeviceKind.DISPLAY, DeviceKind.BOARD

AT_WINDOW = staff(CLERK, DUTY_LEAD, scope=Scope.WINDOW)
FOLLOW_UP = staff(DUTY_LEAD, SUPERVISOR)
ANY_PRINCIPAL = Rule(roles=ALL_ROLES, devices=ALL_DEVICES, scope=Scope.NONE)

RULES: dict[str, Rule] = {
    # ----- the hall, readable by everyone (boards, phones, kiosks) --------------------------
    "list_halls": PUBLIC,
    "list_services": PUBLIC,
    "get_snapshot": PUBLIC,
    "get_ticket": PUBLIC,  # the status page on the visitor's phone asks this
    "hall_events": PUBLIC,  # read-only event stream, see the module docstring
    "board_page": PUBLIC,
    "board_asset": PUBLIC,
    "voice_clip": PUBLIC,
    "ticket_page": PUBLIC,
    "ticket_page_asset": PUBLIC,
    "rating_options": PUBLIC,
    # ----- accounts ----------------------------------------------------------------------
    "login": PUBLIC,
    "logout": staff(*ALL_ROLES, scope=Scope.NONE),
    "whoami": ANY_PRINCIPAL,
    # ----- kiosks and other devices ------------------------------------------------------
    "issue_ticket": Rule(roles=frozenset({DUTY_LEAD}), devices=frozenset({KIOSK})),
    "request_help": devices(KIOSK, DISPLAY, BOARD, scope=Scope.DEVICE),
    "report_status": devices(KIOSK, DISPLAY, BOARD, scope=Scope.DEVICE),
    # Leased number blocks for issuing while cut off: the kiosk itself. Its journal of
    # offline tickets is uploaded by the kiosk, or by the duty lead from a USB stick when
    # the kiosk never comes back (scope DEVICE binds only a device token to its own name).
    "take_number_lease": devices(KIOSK, scope=Scope.DEVICE),
    "release_number_lease": devices(KIOSK, scope=Scope.DEVICE),
    # A ticket the kiosk asked for but never heard back about (its visitor was served
    # offline): only the kiosk that asked gives it up; the service also checks that this
    # device issued it.
    "abandon_unanswered_ticket": devices(KIOSK, scope=Scope.DEVICE),
    "upload_offline_journal": Rule(
        roles=frozenset({DUTY_LEAD}), devices=frozenset({KIOSK}), scope=Scope.DEVICE
    ),
    # ----- a window ------------------------------------------------------------------------
    "sign_in": staff(*SIGNS_IN),
    "sign_out": AT_WINDOW,
    "call_next": AT_WINDOW,
    "call_specific": AT_WINDOW,
    "recall_ticket": AT_WINDOW,
    "mark_no_show": AT_WINDOW,
    "start_ticket": AT_WINDOW,
    "hold_ticket": AT_WINDOW,
    "return_ticket": AT_WINDOW,
    "transfer_ticket": AT_WINDOW,
    "finish_ticket": AT_WINDOW,
    "pause_window": AT_WINDOW,
    "resume_window": AT_WINDOW,
    "give_notice": AT_WINDOW,
    "window_today": staff(CLERK, DUTY_LEAD, SUPERVISOR, scope=Scope.WINDOW),
    "ticket_handover": staff(CLERK, DUTY_LEAD, SUPERVISOR, scope=Scope.WINDOW),
    "promised_deadline": staff(CLERK, DUTY_LEAD, SUPERVISOR),
    # ----- rating (好差评) and follow-ups --------------------------------------------------
    "rate_ticket": devices(DISPLAY, scope=Scope.WINDOW),
    "rating_summary": FOLLOW_UP,
    "list_follow_ups": FOLLOW_UP,
    "get_follow_up": FOLLOW_UP,
    "record_follow_up_contact": FOLLOW_UP,
    "record_follow_up_fix": FOLLOW_UP,
    "close_follow_up": FOLLOW_UP,
    # ----- complaints register (投诉登记) and assessment (考核), docs/assessment.md -------------
    # The duty lead registers complaints on the floor; supervision keeps the register and
    # alone sees the complainant's identity (domain/assessment/complaints.py); the
    # administrator reads the register masked and the scores.
    "register_complaint": staff(DUTY_LEAD, SUPERVISOR),
    "list_complaints": staff(DUTY_LEAD, SUPERVISOR, ADMIN),
    "get_complaint": staff(DUTY_LEAD, SUPERVISOR, ADMIN),
    "pass_complaint": staff(SUPERVISOR),
    "answer_complaint": staff(SUPERVISOR),
    "close_complaint": staff(SUPERVISOR),
    "revisit_complaint": staff(SUPERVISOR),
    "assessment_rules": staff(SUPERVISOR, ADMIN),
    "add_assessment_entry": staff(SUPERVISOR),
    "list_assessment_entries": staff(SUPERVISOR, ADMIN),
    "reverse_assessment_entry": staff(SUPERVISOR),
    "run_assessment_month": staff(SUPERVISOR),
    "close_assessment_month": staff(SUPERVISOR),
    "get_assessment_month": staff(SUPERVISOR, ADMIN),
    "get_assessment_corrections": staff(SUPERVISOR, ADMIN),
    "assessment_year": staff(SUPERVISOR, ADMIN),
    # Measures and the monthly bulletin: read by supervision, the administrator and the duty
    # lead (names stay out: staff appear by number).
    "month_measures": staff(SUPERVISOR, ADMIN, DUTY_LEAD),
    "month_bulletin_file": staff(SUPERVISOR, ADMIN, DUTY_LEAD),
    "month_table_csv": staff(SUPERVISOR, ADMIN, DUTY_LEAD),
    "year_summary": staff(SUPERVISOR, ADMIN, DUTY_LEAD),
    # 办结 of a promised case: the clerk of that window, the duty lead, supervision; the same
    # read the window's open promised cases (the clerk console's list to conclude from).
    "conclude_case": staff(CLERK, DUTY_LEAD, SUPERVISOR, scope=Scope.WINDOW),
    "list_open_promised_cases": staff(CLERK, DUTY_LEAD, SUPERVISOR, scope=Scope.WINDOW),
    # ----- the duty lead's floor monitor -----------------------------------------------------
    "hall_forecast": staff(DUTY_LEAD, SUPERVISOR),
    # The page is public like the board (it logs in through the auth API and keeps the token
    # in sessionStorage); what it reads is for the duty lead, and supervision may watch.
    "floor_page": PUBLIC,
    "floor_asset": PUBLIC,
    # The API's own documentation pages, as FastAPI serves them by default (docs/access.md).
    "api_docs": PUBLIC,
    "api_redoc": PUBLIC,
    "api_docs_asset": PUBLIC,
    "floor_state": staff(DUTY_LEAD, SUPERVISOR),
    "floor_charts": staff(DUTY_LEAD, SUPERVISOR),
    "list_alerts": staff(DUTY_LEAD, SUPERVISOR),
    "acknowledge_alert": staff(DUTY_LEAD),
    "reassign_window_services": staff(DUTY_LEAD),
    "open_window": staff(DUTY_LEAD),
    "close_window": staff(DUTY_LEAD),
    "stop_issuing": staff(DUTY_LEAD),
    "resume_issuing": staff(DUTY_LEAD),
    "announce": staff(DUTY_LEAD),
    "current_announcement": PUBLIC,  # the hall board shows it
    "record_backup_cover": staff(DUTY_LEAD),
    "list_backup_covers": staff(DUTY_LEAD, SUPERVISOR),
    "write_duty_log": staff(DUTY_LEAD),
    "read_duty_log": staff(DUTY_LEAD, SUPERVISOR),
    "handover_note": staff(DUTY_LEAD, SUPERVISOR),
    # ----- appointments (预约, docs/appointments.md) -------------------------------------------
    # The portal's API and the booking page are public (visitors have no account); lookup
    # and cancel need the code and the phone, and answers carry masked personal data only.
    "list_booking_slots": PUBLIC,
    "create_booking": PUBLIC,
    "find_booking": PUBLIC,
    "cancel_booking": PUBLIC,
    "confirm_booking": PUBLIC,
    "booking_page": PUBLIC,
    "booking_page_asset": PUBLIC,
    # Check-in issues a ticket: kiosks, and the duty lead helping a visitor on the floor.
    "check_in_booking": Rule(roles=frozenset({DUTY_LEAD}), devices=frozenset({KIOSK})),
    "import_bookings": staff(ADMIN),
    # 刷身份证取号: the same callers as check-in (a card tap checks in or issues a number).
    "present_id_card": Rule(roles=frozenset({DUTY_LEAD}), devices=frozenset({KIOSK})),
    "issue_with_id_card": Rule(roles=frozenset({DUTY_LEAD}), devices=frozenset({KIOSK})),
    # ----- administration ------------------------------------------------------------------
    "list_staff": staff(ADMIN, DUTY_LEAD, SUPERVISOR),
    "list_devices": staff(ADMIN),
    # ----- health and monitoring (docs/deploy.md): public, counts only, see routes/health.py
    "landing_page": PUBLIC,  # links to the pages; the demo's accounts only on the demo
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "metrics": PUBLIC,
}


# Moves at a window that lock the ticket named in their path and refuse it, with the same 403
# ("not_at_this_window"), when it is at another window: in their own transaction
# (services/window_moves.py `_ticket_at_window`), where the answer cannot go stale. For them
# the check below reads nothing: reading the ticket here as well cost every no-show, start,
# finish and recall a hop to a worker thread and a read transaction (issue 22).
CHECKED_BY_THE_MOVE = frozenset(
    {
        "recall_ticket",
        "mark_no_show",
        "start_ticket",
        "hold_ticket",
        "return_ticket",
        "transfer_ticket",
        "finish_ticket",
        "ticket_handover",
    }
)


def rule_for(route_name: str | None) -> Rule | None:
    return RULES.get(route_name or "")


async def authorize(conn: HTTPConnection) -> None:
    """The one dependency every route runs first (see create_app).

    It runs on the event loop: a sync dependency is a hop to a worker thread and back, which
    cost a ticket request more than the check itself. Only a token not seen in the last
    moments, or a ticket named in the path, is read from the database, in a worker thread.
    """
    route = conn.scope.get("route")
    name = getattr(route, "name", None)
    rule = rule_for(name)
    if rule is None:
        raise Forbidden(
            f"route {name!r} has no access rule yet (queue_server/api/access.py); refused",
            code="no_access_rule",
        )
    # A public page ignores credentials of another scheme (a browser's saved Basic login for
    # the host, a proxy's): only a route that needs a token insists on a Bearer one.
    token = bearer_token(conn, strict=not rule.public)
    if token is None and rule.public:
        conn.state.principal = None
        return
    services = conn.app.state.services
    # A token seen in the last moments needs no read transaction (services/principals.py);
    # only a lookup or a ticket named in the path does.
    principal = cached_principal(services.clock, token) if token else None
    reads_ticket = not rule.public and _names_ticket(conn, rule, name)
    if (token and principal is None) or reads_ticket:
        principal, target = await run_in_threadpool(
            _read, conn, rule, reads_ticket, token, principal
        )
    else:
        target = (
            _public_target(conn, principal)
            if rule.public
            else _target(conn, rule, principal, None, reads_ticket=False)
        )
    conn.state.principal = principal
    refusal = decide(rule, principal, target)
    if refusal is None:
        return
    if refusal.status == 401:
        raise Unauthenticated(refusal.message, code=refusal.code)
    raise Forbidden(refusal.message, code=refusal.code)


def _read(
    conn: HTTPConnection,
    rule: Rule,
    reads_ticket: bool,
    token: str | None,
    principal: Principal | None,
) -> tuple[Principal | None, Target]:
    services = conn.app.state.services
    with services.db.read() as session:
        if token and principal is None:
            principal = authenticate(session, services.clock, token)
        target = (
            _public_target(conn, principal)
            if rule.public
            else _target(conn, rule, principal, session, reads_ticket=reads_ticket)
        )
    return principal, target


def bearer_token(conn: HTTPConnection, *, strict: bool = True) -> str | None:
    header = conn.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" and not strict:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send the token as 'Authorization: Bearer <token>'")
    return token.strip()


def _public_target(conn: HTTPConnection, principal: Principal | None) -> Target:
    hall = conn.path_params.get("hall")
    if principal is not None and hall is not None:
        conn.app.state.services.halls.get(hall)  # 404 before "another hall's token"
    return Target(hall=hall)


def _names_ticket(conn: HTTPConnection, rule: Rule, name: str | None) -> bool:
    """Whether the check must read the ticket in the path to know its window."""
    return (
        rule.scope is Scope.WINDOW
        and name not in CHECKED_BY_THE_MOVE
        and bool(conn.path_params.get("ticket_id"))
    )


def _target(
    conn: HTTPConnection,
    rule: Rule,
    principal: Principal | None,
    session: Session | None,
    *,
    reads_ticket: bool,
) -> Target:
    params = conn.path_params
    hall = params.get("hall")
    window = _int(params.get("window"))
    if principal is None or rule.scope is Scope.NONE:
        return Target(hall=hall, window=window)
    if hall is not None:
        context = conn.app.state.services.halls.get(hall)  # 404: a hall not held here
        in_hall = window is None or context.config.window(window) is not None
        if rule.scope is Scope.WINDOW and not in_hall:
            raise NotFound(f"unknown window {window} in hall {hall}")
    ticket = None
    if reads_ticket and hall and is_window_bound(principal):
        assert session is not None  # authorize opened one
        ticket = ticket_place(session, hall, params["ticket_id"])
    return Target(hall=hall, window=window, device=params.get("device"), ticket=ticket)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ----- what routes take from here --------------------------------------------------------


# The dependencies below are async only so that FastAPI runs them on the event loop (they
# read what `authorize` left on the connection; a sync one would hop to a worker thread).


async def current_principal(conn: HTTPConnection) -> Principal | None:
    return _principal(conn)


def _principal(conn: HTTPConnection) -> Principal | None:
    principal: Principal | None = getattr(conn.state, "principal", None)
    return principal


async def current_actor(conn: HTTPConnection) -> Actor:
    """Who the event log records for this request."""
    principal = _principal(conn)
    if isinstance(principal, Staff):
        return Actor(clerk=principal.user_id)
    if isinstance(principal, Device):
        return Actor(device=principal.name)
    return SYSTEM


async def current_staff(conn: HTTPConnection) -> Staff:
    principal = _principal(conn)
    if not isinstance(principal, Staff):
        raise Forbidden("this needs a staff account")
    return principal


async def current_device(conn: HTTPConnection) -> Device:
    principal = _principal(conn)
    if not isinstance(principal, Device):
        raise Forbidden("this needs a device token")
    return principal


ActorDep = Annotated[Actor, Depends(current_actor)]
PrincipalDep = Annotated[Principal | None, Depends(current_principal)]
StaffDep = Annotated[Staff, Depends(current_staff)]
DeviceDep = Annotated[Device, Depends(current_device)]


# ----- the routes of an application, for the start-up check and the matrix test ---------


@dataclass(frozen=True)
class RouteInfo:
    name: str
    path: str
    methods: frozenset[str]
    websocket: bool


def app_routes(app: FastAPI) -> list[RouteInfo]:
    return list(_walk(app.routes, ""))


def _walk(routes: Iterable[Any], prefix: str) -> Iterator[RouteInfo]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield RouteInfo(route.name, prefix + route.path, frozenset(route.methods or ()), False)
        elif isinstance(route, APIWebSocketRoute):
            yield RouteInfo(route.name, prefix + route.path, frozenset(), True)
        elif hasattr(route, "original_router"):
            # FastAPI keeps included routers as branches; their own prefix is in the paths.
            context = getattr(route, "include_context", None)
            extra = getattr(context, "prefix", "") or ""
            yield from _walk(route.original_router.routes, prefix + extra)


def warn_about_unruled_routes(app: FastAPI) -> None:
    missing = sorted({r.name for r in app_routes(app) if r.name not in RULES})
    if missing:
        log.warning("routes without an access rule are refused: %s", ", ".join(missing))
