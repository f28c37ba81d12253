"""预约签到: check in a booking by code (with the phone, if the visitor likes) or ID number.

Inside the arrival window the server issues a priority ticket; too early, the screen says
when to come back and offers a normal number now; too late, a normal number with a notice.
The ID number is typed into a masked field and never shown; the visitor's name comes back
from the server already masked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from kiosk.checkin import CheckedIn, CheckInQuery, check_in
from kiosk.screens.base import KioskScreen
from kiosk.screens.taking import AskingScreen
from kiosk.texts import Lang, t
from kiosk.widgets import KioskHeader

# The touch keypad: digits, X (ID numbers) and the letters booking codes use.
KEYS = "1234567890" + "ABCDEFGHJKMNPQRSTUVWXYZ"
FIELD_KEYS = {
    "checkin-code": set(KEYS),
    "checkin-phone": set("0123456789"),
    "checkin-id": set("0123456789X"),
}


class Key(Button):
    """A keypad key: it never takes the focus, so the field being typed into keeps it."""

    can_focus = False

    async def _on_click(self, event: events.Click) -> None:
        # A Button ignores a click during its pressed animation (a double-tap guard); on a
        # keypad "00" is two quick taps and both count.
        event.stop()
        self.press()


def slot_text(result: CheckedIn) -> str:
    start, end = result.slot_start, result.slot_end
    return f"{start:%H:%M}-{end:%H:%M}"


def early_text(result: CheckedIn, lang: Lang) -> str:
    back = result.come_back_at or result.slot_start
    return t("too_early", lang, slot=slot_text(result), name=result.name, at=f"{back:%H:%M}")


class CheckInScreen(KioskScreen):
    SCREEN_NAME = "checkin"

    def __init__(self) -> None:
        super().__init__()
        self.field = "checkin-code"  # where the keypad types
        self.early: CheckedIn | None = None
        self.query_sent: CheckInQuery | None = None
        self.problem_key: str | None = None

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        with VerticalScroll(id="checkin-body"), Horizontal(id="checkin-row"):
            with Vertical(id="checkin-fields"):
                yield Static(id="checkin-title", markup=False)
                yield Static(id="checkin-how", markup=False)
                yield Static(id="checkin-code-label", classes="field-label", markup=False)
                yield Input(id="checkin-code", max_length=16)
                yield Static(id="checkin-phone-label", classes="field-label", markup=False)
                yield Input(id="checkin-phone", max_length=11, restrict=r"[0-9]*")
                yield Static(id="checkin-id-label", classes="field-label", markup=False)
                yield Input(id="checkin-id", max_length=18, password=True, restrict=r"[0-9Xx]*")
                yield Static(id="checkin-problem", markup=False)
                yield Static(id="checkin-early", markup=False)
            with Grid(id="keypad"):
                for key in KEYS:
                    yield Key(key, id=f"key-{key}", classes="key")
                yield Key("⌫", id="key-back", classes="key")
                yield Key("", id="key-clear", classes="key")
        with Horizontal(id="checkin-actions"):
            yield Button("", id="checkin-go", classes="primary")
            yield Button("", id="take-normal", classes="secondary")
            yield Button("", id="back", classes="secondary")

    def on_mount(self) -> None:
        self.relabel()

    def idle_after(self) -> float | None:
        return self.kiosk.settings.idle_home_after

    def prompt(self) -> str:
        return t("say_checkin", self.lang)

    def relabel(self) -> None:
        lang = self.lang
        for widget, key in (
            ("#checkin-title", "checkin"),
            ("#checkin-how", "checkin_how"),
            ("#checkin-code-label", "checkin_code"),
            ("#checkin-phone-label", "checkin_phone"),
            ("#checkin-id-label", "checkin_id"),
        ):
            self.query_one(widget, Static).update(t(key, lang))
        problem = self.query_one("#checkin-problem", Static)
        problem.update(t(self.problem_key, lang) if self.problem_key else "")
        problem.display = self.problem_key is not None
        early = self.query_one("#checkin-early", Static)
        early.update(early_text(self.early, lang) if self.early else "")
        early.display = self.early is not None
        self.query_one("#take-normal", Button).display = self.early is not None
        self.query_one("#take-normal", Button).label = t("take_normal", lang)
        self.query_one("#checkin-go", Button).label = t("checkin_go", lang)
        self.query_one("#key-clear", Button).label = t("clear", lang)
        self.query_one("#back", Button).label = t("back", lang)

    def _query(self) -> CheckInQuery | None:
        code = self.query_one("#checkin-code", Input).value.strip()
        phone = self.query_one("#checkin-phone", Input).value.strip()
        id_number = self.query_one("#checkin-id", Input).value.strip().upper()
        if id_number:
            return CheckInQuery(id_number=id_number)
        if code:
            return CheckInQuery(code=code, phone=phone or None)
        return None

    def _send(self, query: CheckInQuery) -> None:
        self.query_sent = query
        self.problem_key = None
        self.app.push_screen(CheckingInScreen(query), self._answered)

    def _answered(self, result: CheckedIn | None) -> None:
        if result is None:
            return
        if result.ticket is None:
            self.early = result
            self.relabel()
            return
        # The ID number leaves the screen with the visitor.
        self.query_one("#checkin-id", Input).value = ""
        self.kiosk.checked_in(result)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, Input) and event.widget.id in FIELD_KEYS:
            self.field = event.widget.id

    def type_key(self, key: str) -> None:
        field = self.query_one(f"#{self.field}", Input)
        if key == "back":
            field.value = field.value[:-1]
        elif key == "clear":
            field.value = ""
        elif key in FIELD_KEYS[self.field] and len(field.value) < (field.max_length or 99):
            field.value += key
        field.cursor_position = len(field.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("key-"):
            self.touched()
            self.type_key(button.removeprefix("key-"))
        elif button == "back":
            self.kiosk.go_home()
        elif button == "checkin-go":
            query = self._query()
            if query is None:
                self.problem_key = "checkin_missing"
                self.relabel()
                return
            self.early = None
            self._send(query)
        elif button == "take-normal" and self.query_sent is not None:
            self._send(dataclasses.replace(self.query_sent, normal_if_early=True))

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one("#checkin-go", Button).press()


class CheckingInScreen(AskingScreen[CheckedIn]):
    SCREEN_NAME = "checking_in"
    WAITING, RETRYING, REFUSED = "checking_in", "checking_in_retry", "checkin_refused"

    def __init__(self, query: CheckInQuery) -> None:
        super().__init__()
        self.check_query = query

    def ask(self, on_retry: Callable[[int], None]) -> Awaitable[CheckedIn]:
        return check_in(
            self.kiosk.client,
            self.check_query,
            retry_every=self.kiosk.settings.retry_every,
            on_retry=on_retry,
        )
