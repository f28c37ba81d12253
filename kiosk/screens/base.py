"""What every kiosk screen does: follow the language, and go home when left alone."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import events
from textual.screen import ModalScreen, Screen

from kiosk.texts import Lang

if TYPE_CHECKING:
    from kiosk.app import KioskApp

ResultT = TypeVar("ResultT")


class KioskScreen(Screen[None]):
    """Screen name for help requests; idle timeout from the kiosk's settings."""

    SCREEN_NAME: ClassVar[str] = "screen"

    def __init__(self) -> None:
        super().__init__()
        self._last_activity = time.monotonic()

    @property
    def kiosk(self) -> KioskApp:
        return cast("KioskApp", self.app)

    @property
    def lang(self) -> Lang:
        return self.kiosk.lang

    def on_mount(self) -> None:
        self.watch(self.kiosk, "lang", self._lang_changed, init=False)
        idle = self.idle_after()
        if idle is not None:
            self.set_interval(min(1.0, idle / 4), self._check_idle)

    def _lang_changed(self, _lang: Lang) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Rewrite every text in the current language."""

    def idle_after(self) -> float | None:
        return None

    def touched(self) -> None:
        self._last_activity = time.monotonic()

    def on_mouse_down(self, _event: events.MouseDown) -> None:
        self.touched()

    def on_mouse_scroll_down(self, _event: events.MouseScrollDown) -> None:
        self.touched()

    def on_mouse_scroll_up(self, _event: events.MouseScrollUp) -> None:
        self.touched()

    def on_key(self, _event: events.Key) -> None:
        self.touched()

    def on_screen_resume(self) -> None:
        self.touched()

    def _check_idle(self) -> None:
        idle = self.idle_after()
        if idle is None or self.app.screen is not self:
            return
        if time.monotonic() - self._last_activity >= idle:
            self.kiosk.go_home(reset_lang=True)


class KioskModal(ModalScreen[ResultT]):
    SCREEN_NAME: ClassVar[str] = "modal"

    @property
    def kiosk(self) -> KioskApp:
        return cast("KioskApp", self.app)

    @property
    def lang(self) -> Lang:
        return self.kiosk.lang

    def on_mount(self) -> None:
        self.watch(self.kiosk, "lang", lambda _l: self.relabel(), init=False)

    def relabel(self) -> None:
        """Rewrite every text in the current language."""
