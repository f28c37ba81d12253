"""What the window display looks like: idle, called, serving, paused, and offline."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from window_display.app import WindowDisplay
from window_display.state import Clerk, WindowState

SIZE = (80, 24)
CLERK = Clerk("张三", "1024")


@pytest.mark.parametrize(
    "state",
    [
        WindowState(3, "三号窗口", "idle"),
        WindowState(3, "三号窗口", "called", "G105", clerk=CLERK),
        WindowState(12, "不动产窗口", "serving", "K007", clerk=CLERK),
        WindowState(3, "三号窗口", "paused", pause_reason="meeting", clerk=CLERK),
    ],
    ids=["idle", "called-g105", "serving-k007", "paused"],
)
def test_screen(state: WindowState, snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(WindowDisplay(state.number, initial=state, online=True), terminal_size=SIZE)


def test_offline_badge(snap_compare: Callable[..., bool]) -> None:
    state = WindowState(3, "三号窗口", "serving", "A012")
    assert snap_compare(WindowDisplay(3, initial=state, online=False), terminal_size=SIZE)
