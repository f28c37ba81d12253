"""What every kiosk screen does: follow the language, speak its prompt, and go home when
left alone - without hurrying a visitor who is still reading (docs/devices.md, elder mode).

Idle time counts from the last touch or key on the screen. In its last
`settings.warn_before` seconds (or the last half of a shorter wait) a screen that would
close shows the time left and a 继续查看 / Keep reading button (`StillThereScreen`); a tap
anywhere on it starts the time again. Home never closes: only its language goes back for
the next visitor.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from kiosk.texts import Lang, t

if TYPE_CHECKING:
    from kiosk.app import KioskApp

ResultT = TypeVar("ResultT")
TICK = 0.25  # seconds between idle checks


class KioskScreen(Screen[None]):
    """Screen name for help requests; idle timeout from the kiosk's settings."""

    SCREEN_NAME: ClassVar[str] = "screen"
    # False: idling only resets the language (home), nothing closes, nothing is shown.
    CLOSES_WHEN_IDLE: ClassVar[bool] = True

    def __init__(self) -> None:
        super().__init__()
        self._last_activity = 0.0
        self._quiet_resume = False

    @property
    def kiosk(self) -> KioskApp:
        return cast("KioskApp", self.app)

    @property
    def lang(self) -> Lang:
        return self.kiosk.lang

    def on_mount(self) -> None:
        self._last_activity = self.kiosk.monotonic()
        self.watch(self.kiosk, "lang", self._lang_changed, init=False)
        if self.idle_after() is not None:
            self.set_interval(TICK, self._check_idle)

    def _lang_changed(self, _lang: Lang) -> None:
        self.relabel()
        if self.is_current:
            self.speak()

    def relabel(self) -> None:
        """Rewrite every text in the current language."""

    def prompt(self) -> str:
        """What the kiosk says aloud when this screen opens (empty: nothing)."""
        return ""

    def speak(self) -> None:
        self.kiosk.speak(self.prompt())

    def idle_after(self) -> float | None:
        return None

    def touched(self) -> None:
        self._last_activity = self.kiosk.monotonic()

    def time_left(self) -> float | None:
        idle = self.idle_after()
        if idle is None:
            return None
        return idle - (self.kiosk.monotonic() - self._last_activity)

    def warn_before(self) -> float:
        """The last 15 s (settings.warn_before), or the last half of a shorter wait."""
        idle = self.idle_after() or 0.0
        return min(self.kiosk.settings.warn_before, idle / 2)

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
        if self._quiet_resume:  # back from 继续查看: the visitor heard this screen already
            self._quiet_resume = False
            return
        self.speak()

    def _check_idle(self) -> None:
        left = self.time_left()
        if left is None:
            return
        top = self.app.screen
        still_there = isinstance(top, StillThereScreen) and top.owner is self
        if top is not self and not still_there:
            self.touched()  # help or a question is open on top: the visitor is still here
            return
        if left <= 0:
            self.kiosk.go_home(reset_lang=True)
        elif self.CLOSES_WHEN_IDLE and left <= self.warn_before():
            if isinstance(top, StillThereScreen):
                top.show(left)
            else:
                self._quiet_resume = True
                self.app.push_screen(StillThereScreen(self))


class KioskModal(ModalScreen[ResultT]):
    SCREEN_NAME: ClassVar[str] = "modal"

    @property
    def kiosk(self) -> KioskApp:
        return cast("KioskApp", self.app)

    @property
    def lang(self) -> Lang:
        return self.kiosk.lang

    def on_mount(self) -> None:
        self.watch(self.kiosk, "lang", self._lang_changed, init=False)

    def _lang_changed(self, _lang: Lang) -> None:
        self.relabel()
        if self.is_current:
            self.speak()

    def relabel(self) -> None:
        """Rewrite every text in the current language."""

    def prompt(self) -> str:
        return ""

    def speak(self) -> None:
        self.kiosk.speak(self.prompt())

    def on_screen_resume(self) -> None:
        self.speak()


class StillThereScreen(KioskModal[None]):
    """The last seconds before a screen closes by itself: how long is left, and a button
    (or a tap anywhere, or any key) that gives the visitor the whole time again."""

    SCREEN_NAME = "still_there"

    def __init__(self, owner: KioskScreen) -> None:
        super().__init__(classes="-still-there")
        self.owner = owner

    def compose(self) -> ComposeResult:
        with Vertical(id="still-box", classes="dialog"):
            yield Static(id="still-text", markup=False)
            yield Button("", id="keep-reading", classes="primary")

    def on_mount(self) -> None:
        self.relabel()

    def show(self, left: float) -> None:
        for text in self.query("#still-text").results(Static):  # none until it is composed
            text.update(t("home_in", self.lang, n=max(math.ceil(left), 0)))

    def relabel(self) -> None:
        left = self.owner.time_left()
        self.show(left if left is not None else 0.0)
        self.query_one("#keep-reading", Button).label = t("keep_reading", self.lang)

    def prompt(self) -> str:
        return t("still_there", self.lang)

    def keep(self) -> None:
        self.owner.touched()
        if self.is_current:
            self.dismiss(None)

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        self.keep()

    def on_mouse_down(self, _event: events.MouseDown) -> None:
        self.keep()

    def on_key(self, _event: events.Key) -> None:
        self.keep()
