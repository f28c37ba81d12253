"""刷身份证取号: the screens after a resident ID card is tapped (or typed by a wedge reader).

The ID number lives only in these screens' memory while the visitor uses them and is shown
masked; the name is never shown. Nothing is printed before the server confirmed a ticket.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from hallq.devices.idcard.id_number import masked
from hallq.devices.idcard.reader import CardError, CardRead
from kiosk.checkin import CheckedIn, CheckInQuery
from kiosk.idcard.flow import CardAnswer, CardIssued, CardOffer, issue, present
from kiosk.model import ServiceInfo
from kiosk.screens.base import KioskModal, KioskScreen
from kiosk.screens.checkin import CheckingInScreen, early_text
from kiosk.screens.taking import AskingScreen
from kiosk.screens.ticket_state import TicketStateScreen
from kiosk.taking import TakeIntent
from kiosk.texts import Lang, t
from kiosk.widgets import KioskHeader

CARD_ACTIONS_CSS = """
#card-actions { height: auto; dock: bottom; align: right middle; }
#card-actions Button { width: auto; margin: 0 2; }
"""


class CardPresentingScreen(AskingScreen[CardAnswer]):
    SCREEN_NAME = "card_presenting"
    WAITING, RETRYING, REFUSED = "card_asking", "card_asking_retry", "card_refused"

    def __init__(self, card: CardRead) -> None:
        super().__init__()
        self.card = card

    def ask(self, on_retry: Callable[[int], None]) -> Awaitable[CardAnswer]:
        return present(
            self.kiosk.client,
            self.card.id_number,
            retry_every=self.kiosk.settings.retry_every,
            on_retry=on_retry,
        )


class CardTakingScreen(AskingScreen[CardIssued]):
    SCREEN_NAME = "card_taking"
    WAITING, RETRYING, REFUSED = "taking", "taking_retry", "refused"

    def __init__(self, card: CardRead, intent: TakeIntent) -> None:
        super().__init__()
        self.card = card
        self.intent = intent

    def ask(self, on_retry: Callable[[int], None]) -> Awaitable[CardIssued]:
        return issue(
            self.kiosk.client,
            self.card.id_number,
            self.intent,
            retry_every=self.kiosk.settings.retry_every,
            on_retry=on_retry,
        )


class CardServiceTile(Button):
    def __init__(self, offer: CardOffer, service: ServiceInfo) -> None:
        super().__init__("", id=f"card-svc-{service.code}", classes="tile")
        self.offer = offer
        self.service = service


class CardServicesScreen(KioskScreen):
    """Every service, each with the priority the server gives this card holder."""

    SCREEN_NAME = "card_services"
    SCOPED_CSS = False  # the app's -narrow class (a portrait kiosk) sits above the screen
    DEFAULT_CSS = (
        CARD_ACTIONS_CSS
        + """
    #card-body { height: 1fr; padding: 0 2; }
    #card-title { text-style: bold; margin: 1 0; }
    #card-green { margin: 0 0 1 0; }
    #card-tiles { grid-size: 2; }
    .-narrow #card-tiles { grid-size: 1; }
    """
    )

    def __init__(self, card: CardRead, answer: CardAnswer) -> None:
        super().__init__()
        self.card = card
        self.answer = answer
        self._taking = False

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        with VerticalScroll(id="card-body"):
            yield Static(id="card-title", markup=False)
            yield Static(id="card-green", markup=False)
            with Grid(id="card-tiles", classes="tiles"):
                by_code = {s.code: s for s in self.kiosk.catalog}
                for offer in self.answer.offers:
                    service = by_code.get(offer.service)
                    if service is not None:
                        yield CardServiceTile(offer, service)
        with Horizontal(id="card-actions"):
            yield Button("", id="back", classes="secondary")

    def on_mount(self) -> None:
        self.relabel()

    def idle_after(self) -> float | None:
        return self.kiosk.settings.idle_home_after

    def relabel(self) -> None:
        lang = self.lang
        self.query_one("#card-title", Static).update(
            t("card_choose", lang, masked=masked(self.card.id_number))
        )
        green = self.query_one("#card-green", Static)
        green.update(t("card_green_by_age", lang))
        green.display = self.answer.green_by_age
        for tile in self.query(CardServiceTile):
            name = tile.service.name.pick(lang)
            mark = f"\n{t('green', lang)}" if tile.offer.priority == "green" else ""
            tile.label = Content(f"{name}{mark}")
        self.query_one("#back", Button).label = t("back", lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, CardServiceTile):
            if self._taking:
                return  # the second tap of a double tap
            self._taking = True
            self.kiosk.card_take(self.card, event.button.offer, event.button.service)
        elif event.button.id == "back":
            self.kiosk.go_home()

    def on_screen_resume(self) -> None:
        self._taking = False


class CardTakenScreen(TicketStateScreen):
    """The daily limit is reached: the number taken today and its state; nothing printed."""

    SCREEN_NAME = "card_taken"
    TITLE = "card_taken_title"

    def now_and_next(self, lang: Lang) -> tuple[str, str]:
        if self.ticket.can_be_called:
            return t("card_taken_waiting", lang, n=self.ticket.ahead), t("card_taken_next", lang)
        now, nxt = super().now_and_next(lang)
        return now, nxt or t("card_taken_next", lang)


class CardEarlyScreen(KioskScreen):
    """Today's booking, too early to check in: when to come back, or a normal number now."""

    SCREEN_NAME = "card_early"
    DEFAULT_CSS = CARD_ACTIONS_CSS + "#card-early { margin: 1 0; }"

    def __init__(self, card: CardRead, result: CheckedIn) -> None:
        super().__init__()
        self.card = card
        self.result = result

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        with Vertical(id="state-body"):
            yield Static(id="card-early", markup=False)
        with Horizontal(id="card-actions"):
            yield Button("", id="take-normal", classes="primary")
            yield Button("", id="back", classes="secondary")

    def on_mount(self) -> None:
        self.relabel()

    def idle_after(self) -> float | None:
        return self.kiosk.settings.idle_home_after

    def relabel(self) -> None:
        lang = self.lang
        self.query_one("#card-early", Static).update(early_text(self.result, lang))
        self.query_one("#take-normal", Button).label = t("take_normal", lang)
        self.query_one("#back", Button).label = t("back", lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "back":
            self.kiosk.go_home()
        elif event.button.id == "take-normal":
            query = CheckInQuery(id_number=self.card.id_number, normal_if_early=True)
            self.app.push_screen(CheckingInScreen(query), self._answered)

    def _answered(self, result: CheckedIn | None) -> None:
        if result is not None and result.ticket is not None:
            self.kiosk.call_later(self.kiosk.go_home)
            self.kiosk.call_later(self.kiosk.show_checked_in, result, replace=False)


class CardProblemScreen(KioskModal[None]):
    """The card could not be read, or the reader does not answer: what to do; nothing was
    sent, taken or checked in."""

    SCREEN_NAME = "card_problem"

    def __init__(self, error: CardError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(id="taking-box", classes="dialog"):
            yield Static(id="card-problem", markup=False)
            with Horizontal(classes="dialog-actions"):
                yield Button("", id="close", classes="primary")
                yield Button("", id="help", classes="help")

    def on_mount(self) -> None:
        self.relabel()
        self._leave = self.set_timer(
            self.kiosk.settings.idle_home_after, lambda: self.dismiss(None)
        )

    def show(self, error: CardError) -> None:
        """A newer problem in place of the one on screen, with the whole time to read it."""
        self.error = error
        self.relabel()
        self._leave.reset()

    def relabel(self) -> None:
        lang = self.lang
        self.query_one("#card-problem", Static).update(
            f"{t('card_problem_title', lang)}\n\n{t(f'card_problem_{self.error.kind}', lang)}"
            f"\n{t('card_nothing_taken', lang)}"
        )
        self.query_one("#close", Button).label = t("close", lang)
        self.query_one("#help", Button).label = t("help", lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "help":
            self.kiosk.call_for_help(self)
        elif event.button.id == "close":
            self.dismiss(None)
