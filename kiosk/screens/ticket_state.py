"""A booking code entered again after its ticket moved on: the ticket's real state and what
to do next, and no receipt. A finished, missed or moved number will never be called from
this kiosk again, so a fresh slip for it would send the visitor to wait for nothing."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from kiosk.model import IssuedTicket, ServiceInfo
from kiosk.screens.base import KioskScreen
from kiosk.screens.ticket import big_number
from kiosk.texts import Lang, t
from kiosk.widgets import KioskHeader

AT_WINDOW = ("called", "serving", "on_hold")
NEXT_STEP: dict[str, str] = {
    "called": "ticket_next_at_window",
    "serving": "ticket_next_at_window",
    "on_hold": "ticket_next_at_window",
    "finished": "ticket_next_used",
    "cancelled": "ticket_next_used",
    "no_show": "ticket_next_no_show",
    "transferred": "ticket_next_transferred",
}


def state_text(ticket: IssuedTicket, lang: Lang) -> str:
    window = str(ticket.window) if ticket.window is not None else t("window_unknown", lang)
    return t(f"ticket_state_{ticket.state}", lang, window=window)


def next_step_text(ticket: IssuedTicket, lang: Lang) -> str:
    return t(NEXT_STEP.get(ticket.state, "ticket_next_used"), lang)


class TicketStateScreen(KioskScreen):
    """A number already taken: its state, what to do next, and no receipt. Subclasses change
    the title and the two state lines, not the layout."""

    SCREEN_NAME = "ticket_state"
    TITLE = "ticket_state_title"

    def __init__(self, ticket: IssuedTicket, service: ServiceInfo | None) -> None:
        super().__init__()
        self.ticket = ticket
        self.service = service
        self._opened = time.monotonic()

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        with Vertical(id="state-body"):
            yield Static(id="state-title", markup=False)
            yield Static(id="your-number", markup=False)
            yield big_number(self.ticket.number)
            yield Static(id="state-service", markup=False)
            yield Static(id="state-now", markup=False)
            yield Static(id="state-next", markup=False)
            yield Static(id="state-receipt", markup=False)
        with Vertical(id="state-actions"):
            yield Button("", id="done", classes="primary")

    def on_mount(self) -> None:
        self.relabel()

    def idle_after(self) -> float | None:
        return self.kiosk.settings.home_after_ticket

    def now_and_next(self, lang: Lang) -> tuple[str, str]:
        return state_text(self.ticket, lang), next_step_text(self.ticket, lang)

    def prompt(self) -> str:
        lang = self.lang
        return "\n".join((t(self.TITLE, lang), *self.now_and_next(lang)))

    def relabel(self) -> None:
        lang = self.lang
        ticket = self.ticket
        self.query_one("#state-title", Static).update(t(self.TITLE, lang))
        sep = ": " if lang == "en" else "："
        self.query_one("#your-number", Static).update(
            f"{t('your_number', lang)}{sep}{ticket.number}"
        )
        self.query_one("#state-service", Static).update(
            self.service.name.pick(lang) if self.service else ticket.service
        )
        now, nxt = self.now_and_next(lang)
        self.query_one("#state-now", Static).update(now)
        self.query_one("#state-next", Static).update(nxt)
        self.query_one("#state-receipt", Static).update(t("no_receipt", lang))
        self.query_one("#done", Button).label = t("done", lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "done":
            if time.monotonic() - self._opened < self.kiosk.settings.tap_guard:
                return  # the second half of the double tap on 签到 (or of the card tap)
            self.kiosk.go_home(reset_lang=True)
