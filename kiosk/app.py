"""The visitor kiosk: one Textual app that talks to the server only through hallq_client."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input

from hallq.devices.idcard.reader import CardError, CardRead, SerialCardReader, WedgeRecogniser
from hallq_client import ApiError, HallqClient, ServerUnreachable
from kiosk.checkin import CheckedIn
from kiosk.idcard.flow import CardAnswer, CardIssued, CardOffer
from kiosk.model import BadAnswer, HallInfo, IssuedTicket, ServiceInfo
from kiosk.offline import OfflineBook, OfflineIssuer
from kiosk.receipts import receipt_for
from kiosk.reporting import DeviceReporter
from kiosk.screens.checkin import CheckInScreen, slot_text
from kiosk.screens.guide import GuideScreen
from kiosk.screens.help import HelpScreen, HelpState
from kiosk.screens.home import Category, CategoryScreen, HomeScreen
from kiosk.screens.idcard import (
    CardEarlyScreen,
    CardPresentingScreen,
    CardProblemScreen,
    CardServicesScreen,
    CardTakenScreen,
    CardTakingScreen,
)
from kiosk.screens.taking import AskingScreen, TakingScreen
from kiosk.screens.ticket import PrintOutcome, TicketScreen
from kiosk.screens.ticket_state import TicketStateScreen
from kiosk.settings import KioskSettings
from kiosk.taking import TakeIntent
from kiosk.texts import LANGS, Lang, other, t
from kiosk.voice import Speaker, voice_by_default
from printers import (
    FontNotFound,
    NothingToReprint,
    PrinterStatus,
    PrintJob,
    PrintWorker,
    default_fonts,
)

log = logging.getLogger("hallq.kiosk")
Clock = Callable[[], datetime]
PRINTER_DOWN = ("paper_out", "offline", "fault")
NARROW_BELOW = 100  # columns


def system_clock() -> datetime:
    return datetime.now(UTC)


class KioskApp(App[None]):
    CSS_PATH = "kiosk.tcss"
    TITLE = "hallq"
    # Locked down: a visitor must not be able to leave the kiosk or reach a command line.
    ENABLE_COMMAND_PALETTE = False
    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "nothing", show=False, priority=True),
        Binding("ctrl+c", "nothing", show=False, priority=True),
        Binding("ctrl+p", "nothing", show=False, priority=True),
    ]

    lang: reactive[Lang] = reactive("zh")
    # 适老化: the elder look (larger targets and number, fewer tiles) is the default; the
    # plain look is one tap away and goes back to elder with the language.
    mode: reactive[str] = reactive("elder")
    # Wall-clock minute in the hall; always_update because 10:00+08:00 == 02:00Z.
    minute: reactive[datetime] = reactive(datetime(2000, 1, 1, tzinfo=UTC), always_update=True)
    hall: reactive[HallInfo | None] = reactive(None)
    catalog: reactive[tuple[ServiceInfo, ...]] = reactive(())
    online: reactive[bool | None] = reactive(None)  # None: not heard from the server yet
    printer_state: reactive[str] = reactive("unknown")
    print_outcome: reactive[PrintOutcome | None] = reactive(None)
    help_state: reactive[HelpState | None] = reactive(None)
    registered: reactive[bool | None] = reactive(None)  # has a kiosk token the server knows
    appointments: reactive[bool] = reactive(False)  # the hall takes bookings: offer check-in

    def __init__(
        self,
        settings: KioskSettings,
        client: HallqClient,
        printer: PrintWorker,
        *,
        clock: Clock = system_clock,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """`monotonic`: the seconds idle screens count in (tests move it by hand)."""
        super().__init__()
        self.settings = settings
        self.client = client
        self.printer = printer
        self.clock = clock
        self.monotonic = monotonic
        voice = settings.voice
        if voice is None:
            voice = voice_by_default(settings.voice_command)
        self.speaker = Speaker(settings.voice_command, enabled=voice)
        # The device name comes from the token once the server has said who we are;
        # health reports wait until then.
        self.device = settings.device
        self.reporter = DeviceReporter(client, None, heartbeat_every=settings.heartbeat_every)
        self.set_reactive(KioskApp.lang, settings.lang)
        self._taking = False
        self._unprinted: str | None = None  # number whose receipt did not come out
        # The last receipt's ticket, service and notice: a reprint is laid out afresh.
        self._last_ticket: tuple[IssuedTicket, ServiceInfo, str | None] | None = None
        self._help_id: str | None = None
        self._help_called_at = 0.0
        self._loop: asyncio.AbstractEventLoop | None = None
        self.wedge = WedgeRecogniser(settings.wedge_max_gap)
        self.offline_issuer: OfflineIssuer | None = None
        if settings.offline_journal:
            book = OfflineBook(Path(settings.offline_journal), settings.hall, settings.device)
            self.offline_issuer = OfflineIssuer(
                client,
                book,
                settings.device,
                patience=settings.offline_patience,
                retry_every=settings.retry_every,
                clock=clock,
            )
            self.reporter.journal = self.offline_issuer.journal_state
        self.card_reader_state = "none" if settings.id_reader is None else "unknown"
        self._reader_silence_told = False

    def get_default_screen(self) -> Screen[None]:
        return HomeScreen()

    # ----- lifecycle -----------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_class(self.mode == "elder", "-elder")
        self.set_class(self.size.width < NARROW_BELOW, "-narrow")
        self._loop = asyncio.get_running_loop()
        self._tick()
        self.set_interval(1.0, self._tick)
        self.run_worker(self._refresh_loop(), group="refresh")
        self.run_worker(self._printer_loop(), group="printer")
        self.run_worker(self._report_loop(), group="report")
        self.run_worker(self._warm_up_fonts(), group="fonts")
        if self.settings.id_reader is not None:
            self.run_worker(self._card_reader_loop(), group="idcard")
        if self.offline_issuer is not None:
            self.run_worker(self._offline_loop(), group="offline")
        if self.settings.handle_sigterm:
            # systemd stops (and restarts) the kiosk with SIGTERM: leave the terminal clean.
            self._loop.add_signal_handler(signal.SIGTERM, self.exit)

    async def on_unmount(self) -> None:
        if self.settings.handle_sigterm and self._loop is not None:
            with contextlib.suppress(Exception):
                self._loop.remove_signal_handler(signal.SIGTERM)
        await self.client.aclose()  # the app owns its client; the printer is the caller's

    async def action_nothing(self) -> None:
        """Swallows the quit and palette keys."""

    async def action_quit(self) -> None:
        """Not reachable by visitors; the kiosk stops only by signal."""

    # Textual awaits an async action; the base's is sync.
    async def action_help_quit(self) -> None:  # type: ignore[override]
        """Textual's "press ctrl+q to quit" hint would only confuse a visitor."""

    def _tick(self) -> None:
        now = self.clock()
        local = now.astimezone(self.hall.zone) if self.hall else now.astimezone()
        minute = local.replace(second=0, microsecond=0)
        if minute.isoformat() != self.minute.isoformat():
            self.minute = minute

    # ----- the server: catalog, health reports -----------------------------------------

    async def _refresh_loop(self) -> None:
        while True:
            ok = await self.refresh_catalog()
            await asyncio.sleep(self.settings.refresh_every if ok else self.settings.retry_every)

    async def refresh_catalog(self) -> bool:
        try:
            halls = await self.client.halls()
            services = await self.client.services()
            hall = next((HallInfo.of(h) for h in halls if h.get("id") == self.settings.hall), None)
            if hall is None:
                raise BadAnswer(f"the server has no hall {self.settings.hall!r}")
            catalog = tuple(ServiceInfo.of(s) for s in services)
        except ApiError as exc:
            log.warning("the server refused to describe the hall: %s", exc)
            # A revoked or mistyped token is refused even for public reads: say that, not
            # "server unreachable".
            if exc.status in (401, 403):
                self.registered = False
            self.online = exc.status in (401, 403)
            return False
        except (ServerUnreachable, BadAnswer) as exc:
            log.warning("cannot load the hall from the server: %s", exc)
            self.online = False
            return False
        self.hall = hall
        if self.offline_issuer is not None:
            self.offline_issuer.zone = hall.zone  # today's business day is the hall's
        self.catalog = catalog
        self.appointments = any(s.bookable for s in catalog)
        self.online = True
        self._tick()
        await self._check_registration()
        return True

    async def _check_registration(self) -> None:
        try:
            me = await self.client.whoami()
        except ApiError as exc:
            if exc.status in (401, 403):
                log.error("the server does not accept this kiosk's token: %s", exc)
                self.registered = False
            elif exc.status == 404:  # a server without accounts: the configured name
                self.reporter.device = self.device
            return
        except ServerUnreachable:
            return
        is_kiosk = me.get("kind") == "device" and me.get("device_kind") == "kiosk"
        if not is_kiosk or me.get("hall") != self.settings.hall:
            log.error("the token is not a kiosk of hall %s: %s", self.settings.hall, me)
            self.registered = False
            return
        self.device = self.reporter.device = str(me["name"])
        self.registered = True
        self._flush_reports_soon()

    async def _offline_loop(self) -> None:
        """Upload what was issued offline and keep a lease for every service topped up."""
        issuer = self.offline_issuer
        assert issuer is not None
        while True:
            done = False
            if self.registered and self.catalog:
                if issuer.device != self.device:
                    issuer.device = self.device
                    issuer.book.set_device(self.device)
                try:
                    await issuer.abandon_unanswered()  # ghost tickets first: never called
                    if await issuer.upload():
                        self._flush_reports_soon()  # the floor monitor stops listing it
                    await issuer.renew([s.code for s in self.catalog])
                    done = True
                except (ServerUnreachable, ApiError) as exc:
                    log.warning("offline journal and leases not brought up to date: %s", exc)
            # Up to a refresh period, but an offline number issued (or a request given up)
            # meanwhile is dealt with at the next retry tick.
            pause = self.settings.refresh_every if done else self.settings.retry_every
            waited = 0.0
            while waited < pause and not (done and self._offline_work(issuer)):
                await asyncio.sleep(self.settings.retry_every)
                waited += self.settings.retry_every

    @staticmethod
    def _offline_work(issuer: OfflineIssuer) -> bool:
        """Tickets to upload, or requests to give up (a visitor cancelled while asking, and
        giving it up at once did not reach the server)."""
        return bool(issuer.book.unreconciled() or issuer.book.to_abandon())

    async def _report_loop(self) -> None:
        while True:
            await self.reporter.flush()
            await asyncio.sleep(self.settings.retry_every)

    def _flush_reports_soon(self) -> None:
        self.run_worker(self.reporter.flush(), group="report-now")

    # ----- the printer -----------------------------------------------------------------

    async def _warm_up_fonts(self) -> None:
        """Find the CJK font now, not while the first visitor waits for a receipt."""
        try:
            await asyncio.to_thread(default_fonts)
        except FontNotFound as exc:
            log.error("receipts cannot print Chinese: %s", exc)

    async def _printer_loop(self) -> None:
        while True:
            await self.poll_printer()
            await asyncio.sleep(self.settings.printer_poll_every)

    async def poll_printer(self) -> PrinterStatus:
        status = await asyncio.to_thread(self.printer.poll_status)
        self._printer_status(status)
        return status

    def _printer_status(self, status: PrinterStatus) -> None:
        self.printer_state = status.state
        self.reporter.printer_status(status)
        self._flush_reports_soon()

    def print_ticket(
        self, ticket: IssuedTicket, service: ServiceInfo, notice: str | None = None
    ) -> None:
        self.print_outcome = PrintOutcome(ticket.number, "printing")
        try:
            if self.hall is None:
                raise ValueError("hall not loaded")
            receipt = receipt_for(
                ticket,
                service,
                self.hall,
                lang=self.lang,
                public_url=self.settings.status_base_url,
                notice=notice,
            )
        except ValueError as exc:
            self._print_failed(ticket.number, f"receipt not laid out: {exc}", None)
            return
        self._last_ticket = (ticket, service, notice)
        self.printer.submit(receipt, on_done=self._job_done_threadsafe)

    def can_reprint(self) -> bool:
        """Only a receipt that did not come out, and only for a short while: a slip that
        printed fine must not be handed to the next visitor at the kiosk."""
        last = self.printer.last_document()
        return last is not None and last.number == self._unprinted

    def reprint_last(self) -> None:
        outcome = self.print_outcome
        if not self.can_reprint() or (outcome is not None and outcome.state == "printing"):
            return  # the second tap of a double tap: the reprint is on its way
        last = self._last_ticket
        number = last[0].number if last else self._unprinted
        self.print_outcome = PrintOutcome(number or "", "printing")
        if number and not self._showing_ticket(number):
            self.notify(t("reprinting", self.lang, number=number), timeout=10)
        self.run_worker(self._reprint(last), group="reprint", exclusive=True)

    async def _reprint(self, last: tuple[IssuedTicket, ServiceInfo, str | None] | None) -> None:
        """补打 with the people ahead and the wait as they are now, not at issue time."""
        receipt = None
        if last is not None and self.hall is not None:
            ticket, service, notice = last
            try:
                ticket = IssuedTicket.of(await self.client.ticket(ticket.id))
            except (ApiError, ServerUnreachable, BadAnswer) as exc:
                log.warning("reprint with the numbers at issue time: %s", exc)
            with contextlib.suppress(ValueError):
                receipt = receipt_for(
                    ticket,
                    service,
                    self.hall,
                    lang=self.lang,
                    public_url=self.settings.status_base_url,
                    notice=notice,
                )
        try:
            if receipt is not None and receipt.number == self._unprinted:
                self.printer.submit(
                    replace(receipt, reprint=True), on_done=self._job_done_threadsafe
                )
            else:
                self.printer.reprint(on_done=self._job_done_threadsafe)
        except NothingToReprint:
            return

    def _job_done_threadsafe(self, job: PrintJob) -> None:
        """Runs on a printer thread (or here, if the worker refused the job at once)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._job_done, job)

    def _job_done(self, job: PrintJob) -> None:
        result = job.result()
        number = job.document.number
        if result.ok:
            self.print_outcome = PrintOutcome(number, "printed")
            if self._unprinted == number:
                self._unprinted = None
            if result.status is not None:  # what the printer said after the job
                self._printer_status(result.status)
            elif self.printer_state in PRINTER_DOWN:
                self.run_worker(self.poll_printer(), group="printer-now")
            return
        self._print_failed(number, f"receipt not printed: {result.reason}", result.status)

    def _print_failed(self, number: str, reason: str, status: PrinterStatus | None) -> None:
        """The ticket stays valid; the visitor gets the number on screen, the lead the fault."""
        log.error("ticket %s: %s", number, reason)
        self._unprinted = number
        self.print_outcome = PrintOutcome(number, "failed", reason)
        if not self._showing_ticket(number):
            self.notify(t("reprint_failed", self.lang, number=number), severity="error", timeout=10)
        self.reporter.fault(reason, ticket=number, status=status)
        if status is not None:
            self._printer_status(status)
        else:
            self._flush_reports_soon()
            self.run_worker(self.poll_printer(), group="printer-now")

    def _showing_ticket(self, number: str) -> bool:
        screen = self.screen
        return isinstance(screen, TicketScreen) and screen.ticket.number == number

    # ----- what visitors do ------------------------------------------------------------

    def speak(self, text: str) -> None:
        """Say a screen's prompt in the background; it replaces whatever is being said."""
        if not self.speaker.enabled:
            return
        say = partial(self.speaker.say, text, self.lang)  # started by the worker, not here
        # Textual's run_worker types a coroutine function's result as Never for a partial.
        self.run_worker(say, group="voice", exclusive=True)  # type: ignore[arg-type]

    def toggle_lang(self) -> None:
        self.lang = other(self.lang)

    def toggle_mode(self) -> None:
        self.mode = "plain" if self.mode == "elder" else "elder"

    def watch_mode(self, mode: str) -> None:
        self.set_class(mode == "elder", "-elder")

    def on_resize(self, event: events.Resize) -> None:
        # Textual has no width queries: narrow terminals (a portrait kiosk) get a class.
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")

    def go_home(self, *, reset_lang: bool = False) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self._taking = False
        if reset_lang:
            self.lang = self.settings.lang
            if self.mode != "elder":
                self.mode = "elder"

    def open_category(self, category: Category) -> None:
        if not isinstance(self.screen, HomeScreen):
            return  # a double tap on a tile opens one screen
        if len(category.services) == 1:
            self.open_guide(category.services[0].code)
        else:
            self.push_screen(CategoryScreen(category))

    def open_guide(self, code: str) -> None:
        if not isinstance(self.screen, HomeScreen | CategoryScreen):
            return  # a double tap on a tile opens one guide
        service = next((s for s in self.catalog if s.code == code), None)
        if service is not None:
            self.push_screen(GuideScreen(service))

    def take_number(self, intent: TakeIntent, service: ServiceInfo) -> None:
        if self._taking or not isinstance(self.screen, GuideScreen):
            return  # the second tap of a double tap: the first one is already asking

        def taken(ticket: IssuedTicket | None) -> None:
            self._taking = False
            if ticket is None:
                return
            self.print_ticket(ticket, service)
            self.switch_screen(TicketScreen(ticket, service))

        self._taking = True
        self.push_screen(TakingScreen(intent), taken)

    def open_check_in(self) -> None:
        if isinstance(self.screen, HomeScreen):  # a double tap opens one screen
            self.push_screen(CheckInScreen())

    def checked_in(self, result: CheckedIn) -> None:
        """The server confirmed the check-in with a ticket: print it and show it."""
        if isinstance(self.screen, CheckInScreen):
            self.show_checked_in(result)

    def show_checked_in(self, result: CheckedIn, *, replace: bool = True) -> None:
        """Print and show a confirmed check-in; `replace`: in place of the screen asked
        from (预约签到), else on top of the start screen (a card tap)."""
        show = self.switch_screen if replace else self.push_screen
        ticket = result.ticket
        service = next((s for s in self.catalog if s.code == result.service), None)
        if ticket is None or service is None:
            return
        key = {"on_time": "appointment_notice", "late": "late_notice"}.get(
            result.outcome, "early_notice"
        )
        if result.replayed and not ticket.can_be_called:
            # Checked in before and since called, served or missed: say so, print nothing.
            show(TicketStateScreen(ticket, service))
            return
        slot = slot_text(result)
        notice = {lang: t(key, lang, slot=slot) for lang in LANGS}
        if result.replayed:
            notice = {lang: t("checked_in_before", lang, notice=notice[lang]) for lang in LANGS}
        self.print_ticket(ticket, service, notice[self.lang])
        show(TicketScreen(ticket, service, notice))

    # ----- 刷身份证取号: the resident ID card (kiosk/idcard, kiosk/screens/idcard.py) -------

    async def on_event(self, event: events.Event) -> None:
        # A keyboard-wedge reader types on whatever screen is up; an Input being typed into
        # keeps its keys (the ID number field of 预约签到 takes the same characters).
        # A key bubbling back up from the screen (is_forwarded) was fed already.
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and not isinstance(self.focused, Input)
        ):
            card = self.wedge.feed(event.key, event.character, time.monotonic())
            if card is not None:
                # The burst's Enter must not also press the focused button.
                event.prevent_default()
                event.stop()
                if isinstance(card, CardError):
                    self._card_problem(card)
                else:
                    self.card_read(card)
                return
        await super().on_event(event)

    async def _card_reader_loop(self) -> None:
        assert self.settings.id_reader is not None
        reader = SerialCardReader(
            self.settings.id_reader,
            baudrate=self.settings.id_reader_baud,
            timeout=self.settings.id_reader_timeout,
        )
        try:
            while True:
                try:
                    card = await asyncio.to_thread(reader.poll)
                except CardError as exc:
                    self._card_error(exc)
                except OSError as exc:  # unplugged, no such port: like a silent reader
                    reader.close()
                    self._card_error(CardError("silent", str(exc)))
                else:
                    if self.card_reader_state != "ok":
                        log.info("ID card reader on %s answers", self.settings.id_reader)
                    self.card_reader_state = "ok"
                    self._reader_silence_told = False
                    if card is not None:
                        self.card_read(card)
                await asyncio.sleep(self.settings.id_reader_poll_every)
        finally:
            await asyncio.to_thread(reader.close)

    def _card_error(self, error: CardError) -> None:
        if error.kind != "silent":
            log.warning("ID card reader: %s", error)  # the error never holds card data
            self.card_reader_state = "ok"
            self._reader_silence_told = False
            self._card_problem(error)
            return
        if self.card_reader_state != "silent":
            log.warning("ID card reader: %s", error)  # logged once per outage
            self.card_reader_state = "silent"
        if self._reader_silence_told:
            return  # said once per outage
        # A reader that stops answering while a visitor is past the start screen (a card
        # was just read, a service is being chosen) must not cover what they are doing: the
        # outage is said once the start screen is back, on the next unanswered poll.
        if isinstance(self.screen, HomeScreen | CardProblemScreen):
            self._reader_silence_told = True
            self._card_problem(error)

    def _card_problem(self, error: CardError) -> None:
        if isinstance(self.screen, CardProblemScreen):
            # The newest problem is the one the visitor just met: a card that read badly
            # must not stay hidden behind "the reader does not answer" from a moment before.
            self.screen.show(error)
            return
        if not isinstance(self.screen, AskingScreen | HelpScreen):
            self.push_screen(CardProblemScreen(error))

    def card_read(self, card: CardRead) -> None:
        """A card was read: check in today's booking, or offer the services."""
        if isinstance(self.screen, AskingScreen | HelpScreen) or self._taking:
            return  # a visitor is already waiting for the server
        self.go_home()

        # What follows the answer runs once the asking screen is gone (call_later).
        def answered(answer: CardAnswer | None) -> None:
            self.call_later(self._card_answered, card, answer)

        self.push_screen(CardPresentingScreen(card), answered)

    def _card_answered(self, card: CardRead, answer: CardAnswer | None) -> None:
        if answer is None:
            return
        if answer.outcome == "check_in" and answer.check_in is not None:
            if answer.check_in.ticket is None:
                self.push_screen(CardEarlyScreen(card, answer.check_in))
            else:
                self.show_checked_in(answer.check_in, replace=False)
        elif answer.outcome == "taken":
            self._show_taken(answer.tickets)
        else:
            self.push_screen(CardServicesScreen(card, answer))

    def _show_taken(self, tickets: tuple[IssuedTicket, ...]) -> None:
        latest = tickets[0]
        service = next((s for s in self.catalog if s.code == latest.service), None)
        self.go_home()
        self.push_screen(CardTakenScreen(latest, service))

    def card_take(self, card: CardRead, offer: CardOffer, service: ServiceInfo) -> None:
        if self._taking:
            return

        def taken(result: CardIssued | None) -> None:
            self._taking = False
            if result is None:
                return
            if result.ticket is None:
                self._show_taken(result.tickets)
                return
            self.print_ticket(result.ticket, service)
            self.go_home()
            self.push_screen(TicketScreen(result.ticket, service))

        self._taking = True
        intent = TakeIntent(service.code, offer.priority)

        def taken_later(result: CardIssued | None) -> None:
            self.call_later(taken, result)

        self.push_screen(CardTakingScreen(card, intent), taken_later)

    def call_for_help(self, screen: Screen[Any]) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        recently = time.monotonic() - self._help_called_at < self.settings.help_repeat_after
        busy = self.help_state in ("calling", "failed") and self._help_id is not None
        if not (busy or (self.help_state == "called" and recently)):
            self._help_id = uuid.uuid4().hex
            self.help_state = "calling"
            ticket = screen.ticket.number if isinstance(screen, TicketScreen) else None
            name = getattr(screen, "SCREEN_NAME", "screen")
            self.run_worker(self._call_help(self._help_id, name, ticket), group="help")
        self.push_screen(HelpScreen())

    async def _call_help(self, request_id: str, screen: str, ticket: str | None) -> None:
        give_up = time.monotonic() + self.settings.help_give_up_after
        while True:
            try:
                await self.client.request_help(
                    self.device,
                    request_id=request_id,
                    screen=screen,
                    lang=self.lang,
                    ticket=ticket,
                )
            except (ServerUnreachable, ApiError) as exc:
                log.warning("help request not delivered: %s", exc)
                self.help_state = "failed"
                if time.monotonic() >= give_up:
                    self._help_id = None
                    return
                await asyncio.sleep(self.settings.retry_every)
                continue
            self._help_called_at = time.monotonic()
            self.help_state = "called"
            self._help_id = None
            return
