"""The number the server confirmed, what happens next, and the receipt's fate."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from hallq.widgets.big_number import BigNumber
from kiosk.model import IssuedTicket, ServiceInfo, materials_text, wait_text, windows_text
from kiosk.receipts import status_url
from kiosk.screens.base import KioskScreen
from kiosk.texts import Lang, t
from kiosk.widgets import KioskHeader, QrCode

PrintState = Literal["printing", "printed", "failed"]


@dataclass(frozen=True)
class PrintOutcome:
    number: str
    state: PrintState
    reason: str = ""


def big_number(number: str) -> Widget:
    try:
        return BigNumber(number, id="big-number")
    except ValueError:  # a prefix the glyph table lacks: plain text is still the truth
        return Static(number, id="big-number", classes="plain-number", markup=False)


class TicketScreen(KioskScreen):
    SCREEN_NAME = "ticket"

    def __init__(
        self, ticket: IssuedTicket, service: ServiceInfo, notice: dict[Lang, str] | None = None
    ) -> None:
        """`notice`: an appointment's line by language (priority, late, early)."""
        super().__init__()
        self.ticket = ticket
        self.service = service
        self.notice = notice
        self.print_state: PrintState = "printing"
        self._opened = time.monotonic()

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        with VerticalScroll(id="ticket-main"), Horizontal(id="ticket-row"):
            with Vertical(id="ticket-left"):
                yield Static(id="your-number", markup=False)
                yield big_number(self.ticket.number)
                yield Static(id="ticket-kind", markup=False)
                yield Static(id="ticket-notice", markup=False)
                yield Static(id="ticket-service", markup=False)
                yield Static(id="ticket-ahead", markup=False)
                yield Static(id="ticket-wait", markup=False)
                yield Static(id="ticket-windows", markup=False)
                yield Static(id="ticket-bring", markup=False)
            with Vertical(id="ticket-right"):
                yield Static(id="print-state", markup=False)
                yield Static(id="print-note", markup=False)
                yield QrCode(id="qr")
        with Horizontal(id="ticket-actions"):
            yield Button("", id="reprint", classes="secondary")
            yield Button("", id="done", classes="primary")

    def on_resize(self) -> None:
        self.call_after_refresh(self._size_number)

    def _size_number(self) -> None:
        """The elder look draws the number as large as the screen allows (whole cells)."""
        number = self.query_one("#big-number")
        if not isinstance(number, BigNumber):
            return
        room = self.query_one("#ticket-left").content_size.width
        tall = max(1, self.size.height * 3 // 10 // 5)  # at most about 30 % of the height
        scale = 1
        if self.kiosk.mode == "elder":
            fits = [s for s in (3, 2) if number.width_at(s) <= room and s <= tall]
            scale = fits[0] if fits else 1
        number.scale = scale

    def on_mount(self) -> None:
        self.watch(self.kiosk, "mode", lambda _m: self._size_number(), init=False)
        self.query_one("#ticket-kind").display = self.ticket.green or self.ticket.appointment
        self.query_one("#ticket-notice").display = self.notice is not None
        self.watch(self.kiosk, "print_outcome", self._print_outcome, init=True)
        self.relabel()

    def idle_after(self) -> float | None:
        if self.print_state == "failed":  # time to copy the number down or scan the code
            return self.kiosk.settings.home_after_print_failure
        return self.kiosk.settings.home_after_ticket

    def prompt(self) -> str:
        lang = self.lang
        said = t("say_ticket", lang, number=self.ticket.number)
        if self.print_state == "failed":
            stop = "。" if lang == "zh" else ". "
            return f"{said}{t('print_failed', lang)}{stop}{t('note_number', lang)}"
        return f"{said}{t('say_printed', lang)}"

    def _print_outcome(self, outcome: PrintOutcome | None) -> None:
        if outcome is None or outcome.number != self.ticket.number:
            return
        failed_now = outcome.state == "failed" and self.print_state != "failed"
        self.print_state = outcome.state
        self.relabel()
        if failed_now:  # the longer time starts now, and the visitor hears what to do
            self.touched()
            if self.is_current:
                self.speak()

    def relabel(self) -> None:
        lang, ticket, service = self.lang, self.ticket, self.service
        self.query_one("#your-number", Static).update(t("your_number", lang))
        kind = "appointment_kind" if self.ticket.appointment else "green"
        self.query_one("#ticket-kind", Static).update(t(kind, lang))
        if self.notice is not None:
            self.query_one("#ticket-notice", Static).update(self.notice[lang])
        self.query_one("#ticket-service", Static).update(service.name.pick(lang))
        ahead = t("ahead_offline", lang) if ticket.offline else t("ahead", lang, n=ticket.ahead)
        self.query_one("#ticket-ahead", Static).update(ahead)
        self.query_one("#ticket-wait", Static).update(wait_text(ticket, lang))
        windows = windows_text(service.windows, lang)
        self.query_one("#ticket-windows", Static).update(t("windows", lang, windows=windows))
        bring = self.query_one("#ticket-bring", Static)
        bring.display = bool(service.publics.materials)
        bring.update(t("bring", lang, materials=materials_text(service.publics.materials, lang)))
        failed = self.print_state == "failed"
        self.query_one("#print-state", Static).update(t(_PRINT_TEXT[self.print_state], lang))
        self.set_class(failed, "-print-failed")
        note = self.query_one("#print-note", Static)
        note.update(t("note_number", lang))
        note.display = failed
        qr = self.query_one("#qr", QrCode)
        if failed and not qr.data:
            qr.show(status_url(self.kiosk.settings.status_base_url, ticket.id))
        qr.display = failed
        reprint = self.query_one("#reprint", Button)
        reprint.label = t("reprint", lang)
        reprint.display = failed and self.kiosk.can_reprint()
        self.query_one("#done", Button).label = t("done", lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "done":
            if time.monotonic() - self._opened < self.kiosk.settings.tap_guard:
                return  # the second half of the double tap that took the number
            self.kiosk.go_home(reset_lang=True)
        elif event.button.id == "reprint":
            self.kiosk.reprint_last()


_PRINT_TEXT: dict[PrintState, str] = {
    "printing": "printing",
    "printed": "printed",
    "failed": "print_failed",
}
