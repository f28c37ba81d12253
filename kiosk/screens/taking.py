"""While the server is asked (a number taken, a booking checked in): plain words, retries in
the background, a way out. Nothing is shown as done until the server has confirmed it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from kiosk.model import IssuedTicket
from kiosk.offline import LeaseExhausted, OfflineIssuer, OfflineTicket
from kiosk.screens.base import KioskModal
from kiosk.taking import Refused, TakeIntent, take_number
from kiosk.texts import has_text, t

T = TypeVar("T")


class AskingScreen(KioskModal[T | None]):
    """Dismisses with the server's confirmed answer, or None when the visitor gave up or was
    refused (the reason stays on screen until the visitor goes back).

    Subclasses name their texts and say how to ask (`ask`), retrying until the server
    answers; `on_retry` is called with each attempt's number."""

    WAITING: ClassVar[str]  # text keys
    RETRYING: ClassVar[str]
    REFUSED: ClassVar[str]

    def __init__(self) -> None:
        super().__init__()
        self.attempts = 0
        self.refused: Refused | None = None

    def ask(self, on_retry: Callable[[int], None]) -> Awaitable[T]:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="taking-box", classes="dialog"):
            yield Static(id="taking-text", markup=False)
            with Horizontal(classes="dialog-actions"):
                yield Button("", id="taking-cancel", classes="secondary")
                yield Button("", id="help", classes="help")

    def on_mount(self) -> None:
        self.relabel()
        self.run_worker(self._ask(), exclusive=True, group="ask")

    async def _ask(self) -> None:
        try:
            answer = await self.ask(self._retrying)
        except Refused as refused:
            self.refused = refused
            self.relabel()
            self.speak()  # why no number was issued
            return
        # A number from the lease means the server is still out of reach.
        self.kiosk.online = not getattr(answer, "offline", False)
        self.dismiss(answer)

    def _retrying(self, attempt: int) -> None:
        self.attempts = attempt
        self.kiosk.online = False
        self.relabel()

    def prompt(self) -> str:
        return str(self.query_one("#taking-text", Static).render())

    def relabel(self) -> None:
        lang = self.lang
        text = self.query_one("#taking-text", Static)
        button = self.query_one("#taking-cancel", Button)
        self.query_one("#help", Button).label = t("help", lang)
        if self.refused is not None:
            key = f"refused_{self.refused.code}"
            reason = t(key, lang) if has_text(key) else self.refused.message
            text.update(f"{t(self.REFUSED, lang)}\n\n{reason}")
            button.label = t("back", lang)
            self.set_class(True, "-refused")
        elif self.attempts:
            text.update(t(self.RETRYING, lang, n=self.attempts))
            button.label = t("cancel", lang)
            self.set_class(True, "-retrying")
        else:
            text.update(t(self.WAITING, lang))
            button.label = t("cancel", lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "help":
            self.kiosk.call_for_help(self)
        elif event.button.id == "taking-cancel":
            self.workers.cancel_group(self, "ask")
            self.dismiss(None)


class TakingScreen(AskingScreen[IssuedTicket]):
    SCREEN_NAME = "taking"
    WAITING, RETRYING, REFUSED = "taking", "taking_retry", "refused"

    def __init__(self, intent: TakeIntent) -> None:
        super().__init__()
        self.intent = intent

    def ask(self, on_retry: Callable[[int], None]) -> Awaitable[IssuedTicket]:
        issuer = self.kiosk.offline_issuer
        if issuer is None:
            return take_number(
                self.kiosk.client,
                self.intent,
                retry_every=self.kiosk.settings.retry_every,
                on_retry=on_retry,
            )
        return self._online_or_offline(issuer, on_retry)

    async def _online_or_offline(
        self, issuer: OfflineIssuer, on_retry: Callable[[int], None]
    ) -> IssuedTicket:
        """The server's number; past the kiosk's patience, the next number of its lease."""
        try:
            ticket = await issuer.take(self.intent, on_retry)
        except LeaseExhausted as exc:
            raise Refused("lease_exhausted", str(exc)) from exc
        return ticket.as_issued() if isinstance(ticket, OfflineTicket) else ticket
