"""The shared Pilot session (tests/support/tui.py `piloted`) lets a screen pushed in the
test's last step finish mounting before the app closes: closing first left the screen's
`on_mount` looking for widgets Textual never mounted (a red CI run, 4 December 2026)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tests.support.tui import piloted


class Pushed(Screen[None]):
    found: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("inside", id="inside")

    def on_mount(self) -> None:
        self.found = str(self.query_one("#inside", Static).content)


async def test_a_screen_pushed_last_mounts_before_the_app_closes() -> None:
    app: App[None] = App()
    pushed = Pushed()
    async with piloted(app, (40, 10)):
        app.push_screen(pushed)
    assert pushed.found == "inside"
