"""What a window's visitor-facing screen shows, kept up to date from the event stream.

Framework-free: the snapshot and event dictionaries come from hallq_client.events, the result
is plain data the Textual app draws. The server decides what happened; this only follows it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

Status = Literal["idle", "called", "serving", "paused", "closed", "unknown"]

# Clerk sign-in (issue 5) is expected to put {"name", "staff_no"} on the snapshot's window
# and to send clerk.signed_in / clerk.signed_out events for it; until then there is no clerk.
CLERK_SIGNED_IN = "clerk.signed_in"
CLERK_SIGNED_OUT = "clerk.signed_out"


@dataclass(frozen=True)
class Clerk:
    name: str
    staff_no: str


@dataclass(frozen=True)
class WindowState:
    number: int
    name: str = ""
    status: Status = "unknown"
    ticket: str = ""
    pause_reason: str | None = None
    clerk: Clerk | None = None


def from_snapshot(snapshot: dict[str, Any], number: int) -> WindowState:
    window = next((w for w in snapshot.get("windows", []) if w.get("number") == number), None)
    if window is None:
        return WindowState(number=number, status="closed")
    current = window.get("current") or {}
    status: Status
    if not window.get("is_open", True):
        status = "closed"
    elif window.get("paused"):
        status = "paused"
    elif current.get("state") == "serving":
        status = "serving"
    elif current.get("state") == "called":
        status = "called"
    else:
        status = "idle"
    return WindowState(
        number=number,
        name=str(window.get("name", "")),
        status=status,
        ticket=str(current.get("number", "")) if status in ("called", "serving") else "",
        pause_reason=window.get("pause_reason") if status == "paused" else None,
        clerk=_clerk(window.get("clerk")),
    )


def apply_event(
    state: WindowState, kind: str, window: int | None, payload: dict[str, Any]
) -> WindowState:
    if window != state.number:
        return state
    number = str(payload.get("number", ""))
    if kind in ("ticket.called", "ticket.recalled"):
        return replace(state, status="called", ticket=number, pause_reason=None)
    if kind in ("ticket.started", "ticket.returned"):
        return replace(state, status="serving", ticket=number, pause_reason=None)
    if kind in ("ticket.finished", "ticket.no_show", "ticket.held", "ticket.transferred"):
        if state.ticket in ("", number):
            return replace(state, status="idle", ticket="")
        return state
    if kind == "window.paused":
        return replace(state, status="paused", ticket="", pause_reason=payload.get("reason"))
    if kind == "window.resumed":
        return replace(state, status="idle", pause_reason=None)
    if kind == CLERK_SIGNED_IN:
        return replace(state, clerk=_clerk(payload))
    if kind == CLERK_SIGNED_OUT:
        return replace(state, clerk=None)
    return state


def _clerk(value: Any) -> Clerk | None:
    if not isinstance(value, dict) or not value.get("name"):
        return None
    return Clerk(name=str(value["name"]), staff_no=str(value.get("staff_no", "")))
