"""Pieces every kiosk screen shares: the header with help and language, tiles, the QR code."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Static

from kiosk.model import ServiceInfo, clock_text, hall_notice
from kiosk.qr import qr_lines
from kiosk.texts import Lang, t

if TYPE_CHECKING:
    from kiosk.app import KioskApp


def kiosk_of(widget: Widget) -> KioskApp:
    return cast("KioskApp", widget.app)


class KioskHeader(Widget):
    """Hall name, date and time, English/中文, 呼叫帮助; below, any notice for visitors."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-bar"):
            with Horizontal(id="hall-box"):
                yield Static(id="hall-name", markup=False)
                yield Static(id="clock", markup=False)
            yield Button("", id="mode", classes="lang")
            yield Button("", id="lang", classes="lang")
            yield Button("", id="help", classes="help")
        yield Static(id="notice", markup=False)

    def on_mount(self) -> None:
        app = kiosk_of(self)
        for attribute in (
            "lang", "mode", "minute", "hall", "online", "printer_state", "registered",
        ):  # fmt: skip
            self.watch(app, attribute, self._refresh_texts, init=False)
        self._refresh_texts()

    def _refresh_texts(self, *_: object) -> None:
        if not self.query("#hall-name"):
            return  # the header of a screen being taken down (go_home resets lang and mode)
        app = kiosk_of(self)
        lang = app.lang
        hall = app.hall
        self.query_one("#hall-name", Static).update(hall.name.pick(lang) if hall else "")
        self.query_one("#clock", Static).update(clock_text(app.minute, lang))
        self.query_one("#lang", Button).label = t("switch_lang", lang)
        other_mode = "mode_plain" if app.mode == "elder" else "mode_elder"
        self.query_one("#mode", Button).label = t(other_mode, lang)
        self.query_one("#help", Button).label = t("help", lang)
        notices = visitor_notices(app)
        notice = self.query_one("#notice", Static)
        notice.update("\n".join(notices))
        notice.display = bool(notices)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        app = kiosk_of(self)
        if event.button.id == "lang":
            app.toggle_lang()
        elif event.button.id == "mode":
            app.toggle_mode()
        elif event.button.id == "help":
            app.call_for_help(self.screen)


def visitor_notices(app: KioskApp) -> list[str]:
    lang = app.lang
    notices: list[str] = []
    if app.online is None and app.hall is None:
        notices.append(t("connecting", lang))
    elif app.online is False:
        notices.append(t("offline", lang))
    if app.hall is not None:
        note = hall_notice(app.hall, app.minute, lang)
        if note:
            notices.append(note)
    if app.registered is False:
        notices.append(t("not_registered", lang))
    if app.printer_state in ("paper_out", "offline"):
        notices.append(t("printer_down", lang))
    return notices


class ServiceTile(Button):
    """A large touch target for one service."""

    def __init__(self, service: ServiceInfo, lang: Lang) -> None:
        super().__init__("", id=f"svc-{service.code}", classes="tile")
        self.service = service
        self.relabel(service, lang)

    def relabel(self, service: ServiceInfo, lang: Lang) -> None:
        self.service = service
        if service.issuing_stopped:
            second = t("stopped", lang)
        else:
            second = t("waiting_n", lang, n=service.waiting)
        self.label = Content(f"{service.name.pick(lang)}\n{second}")


class QrCode(Static):
    """A QR code the visitor can scan from the screen (dark modules on white)."""

    def __init__(self, data: str = "", *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.data = data
        if data:
            self.show(data)

    def show(self, data: str) -> None:
        self.data = data
        self.update(Content("\n".join(qr_lines(data))))
