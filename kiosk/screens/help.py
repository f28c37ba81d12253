"""呼叫帮助: what the visitor sees while the kiosk alerts the duty lead (KioskApp does that)."""

from __future__ import annotations

from typing import Literal

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from kiosk.screens.base import TICK, KioskModal
from kiosk.texts import t

HelpState = Literal["calling", "called", "failed"]
_TEXT: dict[HelpState, str] = {
    "calling": "help_calling",
    "called": "help_called",
    "failed": "help_failed",
}


class HelpScreen(KioskModal[None]):
    SCREEN_NAME = "help"

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="dialog"):
            yield Static(id="help-text", markup=False)
            yield Button("", id="help-close", classes="secondary")

    def on_mount(self) -> None:
        self.watch(self.kiosk, "help_state", lambda _s: self.relabel(), init=False)
        self._last_touch = self.kiosk.monotonic()
        self.set_interval(TICK, self._check)
        self.relabel()

    def prompt(self) -> str:
        return t(_TEXT[self.kiosk.help_state or "calling"], self.lang)

    def on_mouse_down(self, _event: events.MouseDown) -> None:
        self._last_touch = self.kiosk.monotonic()

    def on_key(self, _event: events.Key) -> None:
        self._last_touch = self.kiosk.monotonic()

    def _check(self) -> None:
        """Closes by itself only when left untouched: it goes back to the visitor's screen."""
        if self.kiosk.monotonic() - self._last_touch >= self.kiosk.settings.help_shown_for:
            self._close()

    def relabel(self) -> None:
        lang = self.lang
        state = self.kiosk.help_state or "calling"
        self.query_one("#help-text", Static).update(t(_TEXT[state], lang))
        self.query_one("#help-close", Button).label = t("close", lang)
        self.set_class(state == "failed", "-failed")

    def _close(self) -> None:
        if self.is_current:
            self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "help-close":
            self.dismiss(None)
