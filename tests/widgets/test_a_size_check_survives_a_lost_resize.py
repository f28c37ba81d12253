"""The shared size check (tests/support/tui.py `settle`) still judges the layout at a size
when Textual's resize never reaches the screens: once, on a loaded CI machine, a modal kept
the previous size's layout for 10 s and the kiosk's size test failed on that alone (red run,
6 December 2026)."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Button

from tests.support.tui import piloted, settle, until


class Dialog(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Button("OK", id="ok")


class DropsOneResize(App[None]):
    """Loses the next resize Textual would hand its screens (as its timer would, unfired)."""

    drop_next = False
    dropped = 0

    def _check_resize(self) -> None:
        if self.drop_next:
            self.drop_next = False
            self.dropped += 1
            self._resize_timer = None  # gone, its event with it
            self._resize_event = None
            return
        super()._check_resize()


async def test_a_resize_that_never_arrives_is_handed_to_the_screens() -> None:
    app = DropsOneResize()
    async with piloted(app, (100, 40)) as pilot:
        app.push_screen(Dialog())
        await until(pilot, lambda: isinstance(app.screen, Dialog), "the dialog")
        app.drop_next = True
        await pilot.resize_terminal(80, 24)
        with pytest.warns(UserWarning, match="no layout at"):
            await settle(pilot, (80, 24))
        assert app.dropped == 1
        assert tuple(app.screen._compositor.size) == (80, 24)
        assert tuple(app.screen_stack[0]._compositor.size) == (80, 24)
