"""The rating pad (好差评) of a window display: when a case is finished at this window, the
visitor rates it on five levels; lower ratings may say why; nothing is recorded if the
visitor walks away. Only this display's device token can submit, and only for the case just
finished here; the screen thanks the visitor and shows nobody what was chosen afterwards.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from hallq_client import ApiError, HallqClient, ServerUnreachable
from hallq_client.events import StreamEvent, StreamMessage

FINISHED = "ticket.finished"


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


def parse_options(body: dict[str, Any]) -> Options:
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
        number = str(message.payload.get("number", ""))
        app.push_screen(RatingScreen(self, message.ticket, number))


class RatingScreen(ModalScreen[str | None]):
    """Returns the level submitted, or None when nothing was recorded."""

    AUTO_FOCUS = None  # not the phone field: digit keys choose a level
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(i), f"level({i - 1})", show=False) for i in range(1, 6)),
        Binding("escape", "skip", "Skip", show=False),
    ]
    DEFAULT_CSS = """
    RatingScreen { align: center middle; background: #0b1a2e 90%; }
    #pad { width: 90%; height: auto; padding: 1 2; border: thick #ffd34d; background: #0b1a2e; }
    #pad-title { text-style: bold; color: #ffd34d; text-align: center; width: 1fr; }
    #levels, #reasons, #finish-row { height: auto; }
    #levels Button, #reasons Button { width: 1fr; margin: 0 1; }
    #reasons-box { height: auto; display: none; }
    #reasons Button.picked { background: #ff8a65; color: #000000; }
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
            yield Horizontal(id="levels")
            with Vertical(id="reasons-box"):
                yield Static("可选：原因 / Optional: why", id="reasons-title")
                yield Horizontal(id="reasons")
                yield Input(placeholder="电话（可选，便于回访）Phone (optional)", id="phone")
                with Horizontal(id="finish-row"):
                    yield Button("提交 Submit", id="submit", variant="primary")
            yield Static("不评价可直接离开 / You may leave without rating", id="pad-note")

    async def on_mount(self) -> None:
        self.options = await self.pad.options()
        if not self.is_attached or self.done:
            # The pad was closed (timeout, a newer call) while the options were loading.
            return
        levels = self.query_one("#levels", Horizontal)
        for index, level in enumerate(self.options.levels):
            await levels.mount(
                Button(f"{index + 1} {level.zh}\n{level.en}", id=f"level-{level.code}")
            )
        reasons = self.query_one("#reasons", Horizontal)
        for code, zh, en in self.options.reasons:
            await reasons.mount(Button(f"{zh}\n{en}", id=f"reason-{code}"))
        levels.query(Button).first().focus()
        self._restart_timer()

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(self.pad.timeout, self._time_out)

    def _time_out(self) -> None:
        if not self.done:
            self.dismiss(None)  # nobody rated: nothing is recorded

    def action_skip(self) -> None:
        if not self.done:
            self.dismiss(None)

    def action_level(self, index: int) -> None:
        if not self.done and 0 <= index < len(self.options.levels):
            self.choose(self.options.levels[index])

    def choose(self, level: LevelChoice) -> None:
        self._restart_timer()
        self.level = level
        for choice in self.options.levels:
            button = self.query_one(f"#level-{choice.code}", Button)
            button.variant = "warning" if choice is level else "default"
        if level.reasons_allowed and self.options.reasons:
            self.query_one("#reasons-box").display = True
            self.query_one("#phone", Input).display = level.bad
        else:
            self.submit()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
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

    def on_input_changed(self) -> None:
        self._restart_timer()

    def submit(self) -> None:
        if self.level is None or self.done:
            return
        self.done = True
        self.run_worker(self._send(self.level), exit_on_error=False)

    async def _send(self, level: LevelChoice) -> None:
        phone = self.query_one("#phone", Input).value.strip() if level.bad else ""
        try:
            await self.pad.client.rate(
                self.pad.window, self.ticket_id, level.code, self.reasons, phone or None
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
        self.query_one("#reasons-box").display = False
        self.query_one("#pad-note", Static).update(text)

        def close() -> None:
            self.dismiss(result)

        self.set_timer(self.pad.thanks_for, close)
