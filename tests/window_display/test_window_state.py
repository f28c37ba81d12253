"""How the window display follows snapshots and events (no terminal involved)."""

from __future__ import annotations

from typing import Any

import pytest

from window_display.state import Clerk, WindowState, apply_event, from_snapshot


def _snapshot(**window: Any) -> dict[str, Any]:
    base = {"number": 3, "name": "三号窗口", "is_open": True, "paused": False, "current": None}
    return {"windows": [{"number": 1, "name": "一号窗口"}, {**base, **window}]}


def test_idle_window_from_snapshot() -> None:
    assert from_snapshot(_snapshot(), 3) == WindowState(3, "三号窗口", "idle")


def test_serving_and_paused_from_snapshot() -> None:
    serving = from_snapshot(_snapshot(current={"number": "G105", "state": "serving"}), 3)
    assert (serving.status, serving.ticket) == ("serving", "G105")
    paused = from_snapshot(_snapshot(paused=True, pause_reason="training"), 3)
    assert (paused.status, paused.pause_reason, paused.ticket) == ("paused", "training", "")


def test_unknown_window_shows_closed() -> None:
    assert from_snapshot(_snapshot(), 9).status == "closed"


def test_clerk_appears_once_the_snapshot_carries_one() -> None:
    state = from_snapshot(_snapshot(clerk={"name": "李四", "staff_no": "0042"}), 3)
    assert state.clerk == Clerk("李四", "0042")


@pytest.mark.parametrize(
    ("kind", "payload", "status", "ticket"),
    [
        ("ticket.called", {"number": "A012"}, "called", "A012"),
        ("ticket.recalled", {"number": "A012"}, "called", "A012"),
        ("ticket.started", {"number": "A012"}, "serving", "A012"),
        ("ticket.finished", {"number": "A012"}, "idle", ""),
        ("ticket.no_show", {"number": "A012"}, "idle", ""),
        ("ticket.held", {"number": "A012"}, "idle", ""),
        ("ticket.transferred", {"number": "A012"}, "idle", ""),
    ],
)
def test_ticket_events_move_the_screen(
    kind: str, payload: dict[str, Any], status: str, ticket: str
) -> None:
    start = WindowState(3, "三号窗口", "called", "A012")
    after = apply_event(start, kind, 3, payload)
    assert (after.status, after.ticket) == (status, ticket)


def test_other_windows_events_change_nothing() -> None:
    start = WindowState(3, "三号窗口", "idle")
    assert apply_event(start, "ticket.called", 1, {"number": "A001"}) is start


def test_pause_resume_and_clerk_events() -> None:
    state = WindowState(3, "三号窗口", "idle")
    state = apply_event(state, "window.paused", 3, {"reason": "break"})
    assert (state.status, state.pause_reason) == ("paused", "break")
    state = apply_event(state, "window.resumed", 3, {"reason": "break"})
    assert (state.status, state.pause_reason) == ("idle", None)
    state = apply_event(state, "clerk.signed_in", 3, {"name": "王五", "staff_no": "7"})
    assert state.clerk == Clerk("王五", "7")
    assert apply_event(state, "clerk.signed_out", 3, {}).clerk is None
