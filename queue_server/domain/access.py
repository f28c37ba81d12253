"""Who may do what in the hall (DOMAIN.md, People on the floor): roles, devices, scopes.

Framework-free. The API keeps a table from each route to one `Rule`; `decide` says whether a
principal may use it on a given hall, window, device or ticket, and if not, why (401: who
are you; 403: not you, not here).

The hall's own arrangement, in rules:
- a clerk acts only at the window they are signed in to, and only on that window's tickets;
- the duty lead (值班长) acts hall-wide: helping a window, guiding visitors;
- supervision (督查股) reads follow-ups and ratings, it does not run windows;
- the administrator configures: accounts and devices;
- a kiosk issues tickets, checks in appointments and reports its own health;
- a window display reads, and submits the rating of the ticket just finished at its window;
- a hall board only reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from queue_server.domain.common_passwords import is_common
from queue_server.domain.errors import RuleViolation


class Role(StrEnum):
    CLERK = "clerk"  # 窗口工作人员
    DUTY_LEAD = "duty_lead"  # 值班长
    SUPERVISOR = "supervisor"  # 督查股
    ADMIN = "admin"  # 综合股 / 管理人员


class DeviceKind(StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"  # bound to one window
    BOARD = "board"


ALL_ROLES = frozenset(Role)
ALL_DEVICES = frozenset(DeviceKind)
# Only clerks are tied to the window they sit at; every other role allowed a window-scoped
# act may do it at any window of its hall.
WINDOW_BOUND = frozenset({Role.CLERK})


@dataclass(frozen=True)
class Staff:
    user_id: str
    hall: str
    role: Role
    name: str
    staff_no: str
    window: int | None = None  # the window they are signed in to now


@dataclass(frozen=True)
class Device:
    name: str
    hall: str
    kind: DeviceKind
    window: int | None = None  # displays only


Principal = Staff | Device


class Scope(StrEnum):
    NONE = "none"  # nothing in the path to match (login, who am I)
    HALL = "hall"  # the principal belongs to the hall in the path
    WINDOW = "window"  # and clerks/displays only at their own window, on its tickets
    DEVICE = "device"  # and a device speaks only for itself


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] = frozenset()
    devices: frozenset[DeviceKind] = frozenset()
    scope: Scope = Scope.HALL
    public: bool = False  # anyone, without a token

    def describe(self) -> str:
        if self.public:
            return "public"
        who = sorted(r.value for r in self.roles) + sorted(
            f"{d.value} device" for d in self.devices
        )
        return f"{' / '.join(who) or 'nobody'} ({self.scope.value} scope)"


PUBLIC = Rule(public=True, scope=Scope.NONE)


def staff(*roles: Role, scope: Scope = Scope.HALL) -> Rule:
    return Rule(roles=frozenset(roles), scope=scope)


def devices(*kinds: DeviceKind, scope: Scope = Scope.HALL) -> Rule:
    return Rule(devices=frozenset(kinds), scope=scope)


@dataclass(frozen=True)
class TicketPlace:
    number: str
    window: int | None  # where it is (called, served, finished) or None while it waits


@dataclass(frozen=True)
class Target:
    """What a request names: from its path, and the ticket the path names, if any."""

    hall: str | None = None
    window: int | None = None
    device: str | None = None
    ticket: TicketPlace | None = None


@dataclass(frozen=True)
class Refusal:
    status: int  # 401 or 403
    code: str
    message: str


def unauthenticated(message: str) -> Refusal:
    return Refusal(401, "unauthorized", message)


def forbidden(message: str, code: str = "forbidden") -> Refusal:
    return Refusal(403, code, message)


def decide(rule: Rule, principal: Principal | None, target: Target) -> Refusal | None:
    """None when allowed; otherwise the refusal to send."""
    if rule.public:
        # A token sent anyway is checked like everywhere else (the stream included): a
        # revoked one is refused when read, another hall's here.
        if principal is not None and target.hall is not None and target.hall != principal.hall:
            return _other_hall(principal, target.hall)
        return None
    if principal is None:
        return unauthenticated(
            f"this needs a token ({rule.describe()}); send 'Authorization: Bearer <token>'"
        )
    if isinstance(principal, Staff):
        if principal.role not in rule.roles:
            return forbidden(
                f"a {principal.role.value} account may not do this; allowed: {rule.describe()}"
            )
    elif principal.kind not in rule.devices:
        return forbidden(
            f"a {principal.kind.value} device may not do this; allowed: {rule.describe()}"
        )
    if rule.scope is Scope.NONE:
        return None
    if target.hall is not None and target.hall != principal.hall:
        return _other_hall(principal, target.hall)
    if rule.scope is Scope.DEVICE:
        return _own_device(principal, target)
    if rule.scope is Scope.WINDOW:
        return _own_window(principal, target)
    return None


def _other_hall(principal: Principal, hall: str) -> Refusal:
    return forbidden(f"this token belongs to hall {principal.hall!r}, not {hall!r}")


def _own_device(principal: Principal, target: Target) -> Refusal | None:
    if isinstance(principal, Device) and target.device not in (None, principal.name):
        return forbidden(
            f"this token is device {principal.name!r}; it cannot speak for {target.device!r}"
        )
    return None


def is_window_bound(principal: Principal) -> bool:
    return isinstance(principal, Device) or principal.role in WINDOW_BOUND


def elsewhere(number: str, at_window: int, window: int) -> str:
    """Why a window may not act on a ticket at another window (the rule table, and the moves
    that check it themselves, say it alike)."""
    return f"ticket {number} is at window {at_window}, not at window {window}"


def _own_window(principal: Principal, target: Target) -> Refusal | None:
    if not is_window_bound(principal):
        return None
    window = principal.window
    if window is None:
        if isinstance(principal, Staff):
            return forbidden(
                f"sign in to window {target.window} first; you are not signed in to a window",
                "not_signed_in",
            )
        return forbidden(f"device {principal.name!r} is bound to no window")
    if target.window is not None and target.window != window:
        who = "you are signed in to" if isinstance(principal, Staff) else "this display is at"
        return forbidden(f"{who} window {window}, not window {target.window}", "not_your_window")
    ticket = target.ticket
    if ticket is not None and ticket.window is not None and ticket.window != window:
        return forbidden(
            elsewhere(ticket.number, ticket.window, window),
            "not_at_this_window",
        )
    return None


MIN_PASSWORD = 8
# Who may sign in to a window: clerks, and the duty lead when covering one.
SIGNS_IN = frozenset({Role.CLERK, Role.DUTY_LEAD})


def check_new_password(password: str, staff_no: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise RuleViolation(
            f"a password needs at least {MIN_PASSWORD} characters", code="weak_password"
        )
    if staff_no and staff_no in password:
        raise RuleViolation("a password must not contain the staff number", code="weak_password")
    if is_common(password):
        raise RuleViolation(
            "this password is among the most common ones (or a run of keys or digits); "
            "choose a longer phrase",
            code="weak_password",
        )
