"""What a window's visitor-facing screen shows, kept up to date from the event stream.

Framework-free: the snapshot (`models.Snapshot`) and the events (an `EventKind` and its
payload TypedDict from the generated catalogue) come from hallq_client.events, the result
is plain data the Textual app draws. The server decides what happened; this only follows it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, cast

from hallq_client.event_kinds import (
    ClerkSignedIn,
    EventKind,
    EventPayload,
    TicketCalled,
    TicketFinished,
    TicketHeld,
    TicketNoShow,
    TicketRecalled,
    TicketReturned,
    TicketStarted,
    TicketTransferred,
    WindowPaused,
)
from hallq_client.models import Snapshot

Status = Literal["idle", "called", "serving", "paused", "closed", "unknown"]

# The payloads of the moves of a ticket at a window: each names the ticket's number.
TicketMove = (
    TicketCalled
    | TicketRecalled
    | TicketStarted
    | TicketReturned
    | TicketFinished
    | TicketNoShow
    | TicketHeld
    | TicketTransferred
)

# The snapshot's window carries {"name", "staff_no"} of the clerk signed in; these events
# change it.
CLERK_SIGNED_IN = EventKind.CLERK_SIGNED_IN
CLERK_SIGNED_OUT = EventKind.CLERK_SIGNED_OUT


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


def from_snapshot(snapshot: Snapshot, number: int) -> WindowState:
    window = next((w for w in snapshot.get("windows", []) if w.get("number") == number), None)
    if window is None:
        return WindowState(number=number, status="closed")
    current = window.get("current")
    state = current.get("state") if current else None
    status: Status
    if not window.get("is_open", True):
        status = "closed"
    elif window.get("paused"):
        status = "paused"
    elif state == "serving":
        status = "serving"
    elif state == "called":
        status = "called"
    else:
        status = "idle"
    shown = current is not None and status in ("called", "serving")
    return WindowState(
        number=number,
        name=str(window.get("name", "")),
        status=status,
        ticket=str(current["number"]) if current is not None and shown else "",
        pause_reason=window.get("pause_reason") if status == "paused" else None,
        clerk=_clerk(window.get("clerk")),
    )


def apply_event(
    state: WindowState, kind: EventKind, window: int | None, payload: EventPayload
) -> WindowState:
    if window != state.number:
        return state
    number = str(cast(TicketMove, payload).get("number", ""))
    if kind in (EventKind.TICKET_CALLED, EventKind.TICKET_RECALLED):
        return replace(state, status="called", ticket=number, pause_reason=None)
    if kind in (EventKind.TICKET_STARTED, EventKind.TICKET_RETURNED):
        return replace(state, status="serving", ticket=number, pause_reason=None)
    if kind in (
        EventKind.TICKET_FINISHED,
        EventKind.TICKET_NO_SHOW,
        EventKind.TICKET_HELD,
        EventKind.TICKET_TRANSFERRED,
    ):
        if state.ticket in ("", number):
            return replace(state, status="idle", ticket="")
        return state
    if kind == EventKind.WINDOW_PAUSED:
        paused = cast(WindowPaused, payload)
        return replace(state, status="paused", ticket="", pause_reason=paused.get("reason"))
    if kind == EventKind.WINDOW_RESUMED:
        return replace(state, status="idle", pause_reason=None)
    if kind == CLERK_SIGNED_IN:
        return replace(state, clerk=_clerk(cast(ClerkSignedIn, payload)))
    if kind == CLERK_SIGNED_OUT:
        return replace(state, clerk=None)
    return state


def _clerk(value: Any) -> Clerk | None:
    if not isinstance(value, dict) or not value.get("name"):
        return None
    return Clerk(name=str(value["name"]), staff_no=str(value.get("staff_no", "")))
