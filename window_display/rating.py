"""The rating pad (好差评) of a window display: when a case is finished at this window, the
visitor rates it on five levels and confirms the choice; lower ratings may say why; nothing
is recorded if the visitor walks away or does not confirm. Only this display's device token
can submit, and only for the case just finished here; the screen thanks the visitor and
shows nobody what was chosen afterwards.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from hallq_client import ApiError, HallqClient, ServerUnreachable
from hallq_client.event_kinds import EventKind, TicketFinished
from hallq_client.events import StreamEvent, StreamMessage
from hallq_client.models import RatingOptions

FINISHED = EventKind.TICKET_FINISHED


@dataclass(frozen=True)
class LevelChoice:
    code: str
    zh: str
    en: str
    reasons_allowed: bool
    bad: bool


# The national five levels, used until the server's own list (the same) has been read.
FALLBACK_LEVELS = (
    LevelChoice("very_satisfied", "非常满意", "Very satisfied", False, False),
    LevelChoice("satisfied", "满意", "Satisfied", False, False),
    LevelChoice("basically_satisfied", "基本满意", "Basically satisfied", True, False),
    LevelChoice("dissatisfied", "不满意", "Dissatisfied", True, True),
    LevelChoice("very_dissatisfied", "非常不满意", "Very dissatisfied", True, True),
)


@dataclass(frozen=True)
class Options:
    levels: tuple[LevelChoice, ...]
    reasons: tuple[tuple[str, str, str], ...]  # code, zh, en


def parse_options(body: RatingOptions) -> Options:
    levels = tuple(
        LevelChoice(
            str(level["code"]),
            str(level["text"]["zh"]),
            str(level["text"].get("en") or ""),
            bool(level["reasons_allowed"]),
            bool(level["bad"]),
        )
        for level in body["levels"]
    )
    reasons = tuple(
        (str(code), str(text["zh"]), str(text.get("en") or ""))
        for code, text in body["reasons"].items()
    )
    return Options(levels, reasons)


class RatingPad:
    """Watches the display's event stream and opens the rating screen after each finish."""

    def __init__(
        self,
        client: HallqClient,
        window: int,
        *,
        timeout: float = 30.0,
        thanks_for: float = 4.0,
    ) -> None:
        self.client = client
        self.window = window
        self.timeout = timeout
        self.thanks_for = thanks_for
        self._options: Options | None = None

    async def options(self) -> Options:
        if self._options is None:
            with contextlib.suppress(ApiError, ServerUnreachable, KeyError, TypeError):
                self._options = parse_options(await self.client.rating_options())
        return self._options or Options(FALLBACK_LEVELS, ())

    def offer(self, app: App[Any], message: StreamMessage) -> None:
        """Open the pad for a case just finished at this window (not for replayed ones)."""
        if not (
            isinstance(message, StreamEvent)
            and message.kind == FINISHED
            and message.window == self.window
            and message.ticket
            and not message.replay
        ):
            return
        if isinstance(app.screen, RatingScreen):
            app.pop_screen()  # the previous visitor left without rating
        number = str(cast(TicketFinished, message.payload).get("number", ""))
        app.push_screen(RatingScreen(self, message.ticket, number))


class RatingScreen(ModalScreen[str | None]):
    """Returns the level submitted, or None when nothing was recorded.

    Two steps: choose one of the five levels, then confirm it. The five levels are five
    equal full-width rows in the national order, none focused or highlighted before the
    visitor chooses (a pre-focused 非常满意 takes one stray tap to record), so the pad fits
    the display's 80x24 as well as 120x36. Nothing is recorded until 确认 is pressed.
    """

    AUTO_FOCUS = ""  # nothing is focused: no level is chosen for the visitor
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(i), f"level({i - 1})", show=False) for i in range(1, 6)),
        Binding("enter", "confirm", "Confirm", show=False),
        Binding("escape", "skip", "Skip", show=False),
    ]
    DEFAULT_CSS = """
    RatingScreen { align: center middle; background: #0b1a2e 90%; }
    #pad {
        width: 100%; max-width: 110; height: auto; max-height: 100%;
        padding: 0 1; border: thick #ffd34d; background: #0b1a2e;
    }
    #pad-title { text-style: bold; color: #ffd34d; text-align: center; width: 1fr; }
    #levels { height: auto; }
    #levels Button {
        width: 1fr; height: 3; margin: 0; border: tall #5a6f8c;
        background: #1d3557; color: #f4f7fb; text-style: bold;
    }
    #levels Button:focus { text-style: bold; }
    #confirm-box { height: auto; display: none; }
    #pad.-reasons { height: 100%; }
    #pad.-reasons #confirm-box { height: 1fr; }
    #chosen {
        text-style: bold; color: #0b1a2e; background: #ffd34d; text-align: center;
        width: 1fr; height: auto; padding: 0 1;
    }
    #reasons-box { height: 1fr; display: none; }
    #reasons { grid-size: 1; grid-rows: 3; height: auto; }
    #reasons Button { width: 1fr; height: 3; margin: 0; }
    #reasons Button.picked { background: #ff8a65; color: #000000; }
    #phone { width: 1fr; }
    #confirm-row { height: 3; }
    #confirm-row Button { width: 1fr; height: 3; margin: 0 1; }
    #pad-note { text-align: center; width: 1fr; color: #9fb3cc; }
    """

    def __init__(self, pad: RatingPad, ticket_id: str, number: str) -> None:
        super().__init__()
        self.pad = pad
        self.ticket_id = ticket_id
        self.number = number
        self.options = Options(FALLBACK_LEVELS, ())
        self.level: LevelChoice | None = None
        self.reasons: list[str] = []
        self.done = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="pad"):
            yield Static(
                f"请对本次服务进行评价（{self.number}）\nPlease rate our service ({self.number})",
                id="pad-title",
            )
            yield Vertical(id="levels")
            with Vertical(id="confirm-box"):
                yield Static(id="chosen")
                with VerticalScroll(id="reasons-box", can_focus=False):
                    yield Static("可选：原因 / Optional: why", id="reasons-title")
                    yield Grid(id="reasons")
                    yield Input(placeholder="电话（可选，便于回访）Phone (optional)", id="phone")
                with Horizontal(id="confirm-row"):
                    yield Button("确认提交 Confirm", id="submit", variant="primary")
                    yield Button("重新选择 Change", id="change")
            yield Static("不评价可直接离开 / You may leave without rating", id="pad-note")

    async def on_mount(self) -> None:
        self._restart_timer()  # the visitor's time starts when the pad opens
        self.options = await self.pad.options()
        if not self.is_attached or self.done:
            # The pad was closed (timeout, a newer call) while the options were loading.
            return
        levels = self.query_one("#levels", Vertical)
        reasons = self.query_one("#reasons", Grid)
        await levels.mount_all(
            Button(f"{index + 1}  {level.zh}  {level.en}", id=f"level-{level.code}")
            for index, level in enumerate(self.options.levels)
        )
        await reasons.mount_all(
            Button(f"{zh} {en}", id=f"reason-{code}") for code, zh, en in self.options.reasons
        )

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.pad.timeout, self._time_out)

    def _time_out(self) -> None:
        if not self.done:
            self.dismiss(None)  # nobody rated, or nobody confirmed: nothing is recorded

    def action_skip(self) -> None:
        if not self.done:
            self.dismiss(None)

    def action_level(self, index: int) -> None:
        if not self.done and self.level is None and 0 <= index < len(self.options.levels):
            self.choose(self.options.levels[index])

    def action_confirm(self) -> None:
        if self.level is not None:
            self.submit()

    def choose(self, level: LevelChoice) -> None:
        """Step two: show the chosen level and wait for 确认; nothing is sent yet."""
        self._restart_timer()
        self.level = level
        self.reasons = []
        for button in self.query("#reasons Button").results(Button):
            button.remove_class("picked")
        self.query_one("#chosen", Static).update(f"您的评价：{level.zh}\nYour rating: {level.en}")
        with_reasons = level.reasons_allowed and bool(self.options.reasons)
        self.query_one("#reasons-box").display = with_reasons
        self.query_one("#pad").set_class(with_reasons, "-reasons")  # the reasons scroll
        self.query_one("#phone", Input).display = with_reasons and level.bad
        self.query_one("#levels").display = False
        self.query_one("#confirm-box").display = True
        self.set_focus(None)

    def change(self) -> None:
        self._restart_timer()
        self.level = None
        self.reasons = []
        self.query_one("#confirm-box").display = False
        self.query_one("#pad").remove_class("-reasons")
        self.query_one("#levels").display = True
        self.set_focus(None)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.done:
            return
        name = event.button.id or ""
        if name.startswith("level-"):
            level = next(c for c in self.options.levels if f"level-{c.code}" == name)
            self.choose(level)
        elif name.startswith("reason-"):
            self._restart_timer()
            code = name.removeprefix("reason-")
            if code in self.reasons:
                self.reasons.remove(code)
            else:
                self.reasons.append(code)
            event.button.set_class(code in self.reasons, "picked")
        elif name == "submit":
            self.submit()
        elif name == "change":
            self.change()

    def on_input_changed(self) -> None:
        self._restart_timer()

    def submit(self) -> None:
        if self.level is None or self.done:
            return
        self.done = True
        self.run_worker(self._send(self.level), exit_on_error=False)

    async def _send(self, level: LevelChoice) -> None:
        phone = self.query_one("#phone", Input).value.strip() if level.bad else ""
        reasons = self.reasons if level.reasons_allowed else []
        try:
            await self.pad.client.rate(
                self.pad.window, self.ticket_id, level.code, reasons, phone or None
            )
            text = "感谢您的评价！\nThank you for your rating!"
            result: str | None = level.code
        except ApiError as exc:
            text = f"评价未能提交 / Not recorded: {exc.message}"
            result = None
        except ServerUnreachable:
            text = "网络中断，评价未能提交 / The network is down; not recorded"
            result = None
        self.query_one("#levels").display = False
        self.query_one("#confirm-box").display = False
        self.query_one("#pad").remove_class("-reasons")
        self.query_one("#pad-note", Static).update(text)

        def close() -> None:
            self.dismiss(result)

        self.set_timer(self.pad.thanks_for, close)
