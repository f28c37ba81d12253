"""The service guide (the five publics) before a number is taken, then 取号."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from kiosk.model import ServiceInfo, windows_text
from kiosk.screens.base import KioskScreen
from kiosk.taking import TakeIntent
from kiosk.texts import Lang, t
from kiosk.widgets import KioskHeader


def guide_text(service: ServiceInfo, lang: Lang) -> list[tuple[str, str]]:
    """(css class, text) lines: title, then content, procedure, materials, time limit, fee."""
    p = service.publics
    lines = [("title", service.name.pick(lang))]
    waiting = t("guide_queue", lang, n=service.waiting, windows=windows_text(service.windows, lang))
    lines.append(("subtitle", waiting))
    lines += [("section", t("guide_content", lang)), ("body", p.content.pick(lang))]
    if p.procedure:
        lines.append(("section", t("guide_procedure", lang)))
        steps = [f"{i}. {step.pick(lang)}" for i, step in enumerate(p.procedure, start=1)]
        lines.append(("body", "\n".join(steps)))
    lines.append(("section", t("guide_materials", lang)))
    if p.materials:
        items = [f"□ {i}. {m.pick(lang)}" for i, m in enumerate(p.materials, start=1)]
        lines.append(("materials", "\n".join(items)))
    else:
        lines.append(("body", t("guide_no_materials", lang)))
    lines.append(("section", t("guide_time_limit", lang)))
    days = p.time_limit_days
    limit = t("immediate", lang) if days == 0 else t("working_days", lang, n=days)
    lines.append(("body", limit))
    lines.append(("section", t("guide_fee", lang)))
    fee = p.fee.pick(lang)
    if p.fee_basis is not None:
        fee += "\n" + t("fee_basis", lang, basis=p.fee_basis.pick(lang))
    lines.append(("body", fee))
    if service.green_channel:
        lines.append(("note", t("green_who", lang)))
    return lines


class GuideScreen(KioskScreen):
    SCREEN_NAME = "guide"

    def __init__(self, service: ServiceInfo) -> None:
        super().__init__()
        self.service = service
        # One intent per priority for as long as this guide is open: a double tap, or a
        # second try after a refusal, asks the server for the same ticket again. A kiosk with
        # an offline journal gives a key up when the visitor cancels while asking (or is sent
        # to staff), and the next tap asks under a new one (OfflineIssuer.take).
        self._intents: dict[str, TakeIntent] = {}

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield VerticalScroll(id="guide-body")
        yield Static(id="guide-note", markup=False)
        with Horizontal(id="guide-actions"):
            yield Button("", id="take", classes="primary")
            yield Button("", id="take-green", classes="green")
            yield Button("", id="back", classes="secondary")

    def on_mount(self) -> None:
        self.watch(self.kiosk, "catalog", self._catalog_changed, init=False)
        self.watch(self.kiosk, "hall", lambda _h: self._update_buttons(), init=False)
        self.watch(self.kiosk, "registered", lambda _r: self._update_buttons(), init=False)
        self.query_one("#take-green", Button).display = self.service.green_channel
        self.relabel()

    def idle_after(self) -> float | None:
        return self.kiosk.settings.idle_home_after

    def prompt(self) -> str:
        return t("say_guide", self.lang, name=self.service.name.pick(self.lang))

    def _catalog_changed(self, *_: object) -> None:
        fresh = next((s for s in self.kiosk.catalog if s.code == self.service.code), None)
        if fresh is not None and fresh != self.service:
            self.service = fresh
            self.relabel()

    def relabel(self) -> None:
        lang = self.lang
        body = self.query_one("#guide-body", VerticalScroll)
        lines = guide_text(self.service, lang)
        shown = list(body.query_children(Static))
        if [w.name for w in shown] == [kind for kind, _ in lines]:
            # Same shape: update in place so a slow reader keeps their scroll position.
            for widget, (_, text) in zip(shown, lines, strict=True):
                widget.update(text)
        else:
            body.remove_children()
            body.mount_all(
                Static(text, name=kind, classes=f"guide-{kind.split()[0]}", markup=False)
                for kind, text in lines
            )
        self.query_one("#take", Button).label = t("take", lang)
        self.query_one("#take-green", Button).label = t("take_green", lang)
        self.query_one("#back", Button).label = t("back", lang)
        self._update_buttons()

    def _update_buttons(self) -> None:
        reason = self._cannot_take()
        note = self.query_one("#guide-note", Static)
        note.update(reason or "")
        note.display = reason is not None
        for button in self.query("#take, #take-green").results(Button):
            button.disabled = reason is not None

    def _cannot_take(self) -> str | None:
        """Only what the kiosk already knows; the server has the last word when asked."""
        hall = self.kiosk.hall
        if self.service.issuing_stopped:
            return t("refused_issuing_stopped", self.lang)
        if (hall is not None and hall.state != "open") or self.kiosk.registered is False:
            return t("cannot_take_now", self.lang)
        return None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id
        if button == "back":
            self.app.pop_screen()
        elif button in ("take", "take-green"):
            priority = "green" if button == "take-green" else "normal"
            intent = self._intents.setdefault(priority, TakeIntent(self.service.code, priority))
            self.kiosk.take_number(intent, self.service)
