"""While the number is being taken: plain words, retries in the background, a way out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from kiosk.model import IssuedTicket
from kiosk.screens.base import KioskModal
from kiosk.taking import Refused, TakeIntent, take_number
from kiosk.texts import has_text, t


class TakingScreen(KioskModal[IssuedTicket | None]):
    """Dismisses with the confirmed ticket, or None when the visitor gave up or was refused."""

    SCREEN_NAME = "taking"

    def __init__(self, intent: TakeIntent) -> None:
        super().__init__()
        self.intent = intent
        self.attempts = 0
        self.refused: Refused | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="taking-box", classes="dialog"):
            yield Static(id="taking-text", markup=False)
            with Horizontal(classes="dialog-actions"):
                yield Button("", id="taking-cancel", classes="secondary")
                yield Button("", id="help", classes="help")

    def on_mount(self) -> None:
        self.relabel()
        self.run_worker(self._take(), exclusive=True, group="take")

    async def _take(self) -> None:
        try:
            ticket = await take_number(
                self.kiosk.client,
                self.intent,
                retry_every=self.kiosk.settings.retry_every,
                on_retry=self._retrying,
            )
        except Refused as refused:
            self.refused = refused
            self.relabel()
            return
        self.dismiss(ticket)

    def _retrying(self, attempt: int) -> None:
        self.attempts = attempt
        self.kiosk.online = False
        self.relabel()

    def relabel(self) -> None:
        lang = self.lang
        text = self.query_one("#taking-text", Static)
        button = self.query_one("#taking-cancel", Button)
        self.query_one("#help", Button).label = t("help", lang)
        if self.refused is not None:
            key = f"refused_{self.refused.code}"
            reason = t(key, lang) if has_text(key) else self.refused.message
            text.update(f"{t('refused', lang)}\n\n{reason}")
            button.label = t("back", lang)
            self.set_class(True, "-refused")
        elif self.attempts:
            text.update(t("taking_retry", lang, n=self.attempts))
            button.label = t("cancel", lang)
            self.set_class(True, "-retrying")
        else:
            text.update(t("taking", lang))
            button.label = t("cancel", lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "help":
            self.kiosk.call_for_help(self)
        elif event.button.id == "taking-cancel":
            self.workers.cancel_group(self, "take")
            self.dismiss(None)
