"""Pilot set-up shared by the kiosk, window display, console and rating tests.

`until` waits for a condition (never a fixed sleep); `layout_problems` and `check_sizes`
render the current screen at each size of docs/devices.md and say what does not fit:
an interactive widget not fully inside the screen (or not reachable by scrolling its own
scroll area), two interactive widgets on top of each other, or a text cut, ended in "…" or
broken mid-word (tests/support/screen_geometry.py says what each of those means).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from textual import events
from textual.app import App
from textual.containers import ScrollableContainer
from textual.errors import NoWidget
from textual.geometry import Size
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import ListView, OptionList, SelectionList

from tests.support.screen_geometry import (
    cut_labels,
    fully_visible,
    interactive,
    rendered_lines,
    truncation,
)

LISTS = (OptionList, ListView, SelectionList)


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], what: str = "", timeout: float = 10.0
) -> None:
    """Let the app run until `condition()` holds and every open screen has mounted; fail
    after `timeout` seconds.

    A screen is on the stack before its widgets are: a test that saw it pushed and queried
    it at once found nothing (a flaky rating-pad test, a red CI run on 4 December 2026).
    """
    deadline = time.monotonic() + timeout
    while not (condition() and screens_mounted(pilot.app)):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


@asynccontextmanager
async def piloted(app: App[Any], size: tuple[int, int] | None = None) -> AsyncIterator[Pilot[Any]]:
    """`app.run_test`, ending only once every screen it opened has mounted.

    A test that stops as soon as a screen is pushed (a ticket shown, a dialog opened) would
    otherwise close the app while that screen composes: Textual then mounts nothing into
    a closing screen and its `on_mount` fails to find its own widgets.
    """
    async with app.run_test(size=size) as pilot:
        yield pilot
        await until(pilot, lambda: True, "the open screens to mount")


def screens_mounted(app: App[Any]) -> bool:
    return all(screen.is_mounted for screen in app.screen_stack)


async def settle(pilot: Pilot[None], size: tuple[int, int] | None = None) -> None:
    """Until the screen has the size and has laid itself out for it."""
    app = pilot.app
    if size is not None:
        # The screen learns its size before it is laid out again: wait for the layout
        # itself (under load a check between the two saw the old positions).
        def laid_out() -> bool:
            screen = app.screen
            return tuple(screen.size) == size and tuple(screen._compositor.size) == size

        try:
            await until(pilot, laid_out, f"the layout at {size}", timeout=3.0)
        except AssertionError:
            # Textual hands a resize to the screens from a 1/120 s timer; once, on a loaded
            # CI machine, a modal screen still had the previous size's layout 10 s later
            # (red run, 6 December 2026). What is checked here is our layout at each size,
            # not that delivery: hand the screens the resize as that timer would, and say so.
            warnings.warn(f"no layout at {size} after 3 s: {_resize_state(app)}", stacklevel=2)
            _deliver_resize(app, size)
            try:
                await until(pilot, laid_out, f"the layout at {size}")
            except AssertionError as timed_out:
                raise AssertionError(f"{timed_out}: {_resize_state(app)}") from None
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def _resize_state(app: App[Any]) -> str:
    screen = app.screen
    return (
        f"{screen!r} is {tuple(screen.size)} laid out at {tuple(screen._compositor.size)};"
        f" stack {app.screen_stack!r}; resize pending {app._resize_event!r},"
        f" its timer {app._resize_timer!r}"
    )


def _deliver_resize(app: App[Any], size: tuple[int, int]) -> None:
    resize = events.Resize(Size(*size), Size(*size))
    for screen in (app.screen, *app._background_screens):
        screen.post_message(resize)


def _controls(screen: Screen[object]) -> list[Widget]:
    found = list(interactive(screen))
    for widget in screen.query("OptionList, ListView, SelectionList"):
        if widget.display and all(a.display for a in widget.ancestors_with_self if a is not screen):
            found.append(widget)
    return found


async def reachable(pilot: Pilot[None], widget: Widget) -> bool:
    """Fully visible, or made so by scrolling the scroll area it lives in."""
    if fully_visible(widget):
        return True
    area = next((a for a in widget.ancestors if isinstance(a, ScrollableContainer)), None)
    if area is None or isinstance(area, LISTS):
        return False
    area.scroll_to_center(widget, animate=False, immediate=True)
    await pilot.pause()
    return fully_visible(widget)


def _visible_region(widget: Widget) -> object | None:
    try:
        return widget.screen.find_widget(widget).region
    except NoWidget:
        return None


def overlapping(widgets: Sequence[Widget]) -> list[str]:
    """Pairs of controls drawn over each other (a tap would hit the wrong one)."""
    found: list[str] = []
    placed = [(w, _visible_region(w)) for w in widgets]
    for i, (a, region_a) in enumerate(placed):
        for b, region_b in placed[i + 1 :]:
            if region_a is None or region_b is None:
                continue
            if a in b.ancestors or b in a.ancestors:
                continue
            if region_a.overlaps(region_b):  # type: ignore[attr-defined]
                found.append(f"{a!r} at {region_a} overlaps {b!r} at {region_b}")
    return found


def _list_problems(widget: Widget) -> list[str]:
    """A list's options are texts too: none may end in an ellipsis."""
    lines = rendered_lines(widget)
    return [f"{widget!r} cuts an option: {line!r}" for line in lines if "…" in line]


async def layout_problems(pilot: Pilot[None], name: str = "") -> list[str]:
    """What does not fit on the current screen at the current size."""
    screen = pilot.app.screen
    found: list[str] = []
    controls = _controls(screen)
    for widget in controls:
        if not await reachable(pilot, widget):
            found.append(f"{widget!r} is not on screen ({widget.region})")
        elif isinstance(widget, LISTS):
            found += _list_problems(widget)
        elif (cut := truncation(widget)) is not None:
            found.append(f"{widget!r}: {cut}")
    # Scrolling may have moved things: overlaps are judged where they are drawn now.
    found += overlapping([w for w in controls if fully_visible(w)])
    found += cut_labels(screen)
    return [f"{name} {screen.size.width}x{screen.size.height}: {p}" for p in found]


async def check_sizes(pilot: Pilot[None], sizes: Iterable[tuple[int, int]], name: str) -> list[str]:
    """Render the current screen at every size; back to the first size afterwards."""
    sizes = list(sizes)
    found: list[str] = []
    for size in sizes:
        await pilot.resize_terminal(*size)
        await settle(pilot, size)
        found += await layout_problems(pilot, name)
    await pilot.resize_terminal(*sizes[0])
    await settle(pilot, sizes[0])
    return found


class ManualTimer:
    """A monotonic clock the test moves by hand: idle timeouts without waiting for them."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.reads = 0  # how often the app looked at it: its idle checks have run

    def __call__(self) -> float:
        self.reads += 1
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def looked_at(self, pilot: Pilot[None], times: int = 3) -> None:
        """Until the app has read the time a few more times (its checks ran since)."""
        mark = self.reads
        await until(pilot, lambda: self.reads >= mark + times, "the app to read the time")
