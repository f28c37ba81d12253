"""The visitor-facing screen at one window: its number and name, the clerk, the number being
served in big glyphs, and whether the window is paused or waiting for the next visitor."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Static

from hallq.widgets.big_number import BigNumber
from hallq_client.events import StreamEvent, StreamMessage, StreamRefused, StreamSnapshot
from hallq_client.events import StreamStatus as Status
from window_display.state import WindowState, apply_event, from_snapshot

if TYPE_CHECKING:
    from window_display.rating import RatingPad

PAUSE_REASONS: dict[str, tuple[str, str]] = {
    "break": ("休息", "on break"),
    "meeting": ("会议", "in a meeting"),
    "backup_cover": ("顶岗", "covering another window"),
    "training": ("培训", "training"),
    "other": ("其他", "other"),
}
NO_CLERK = "工作人员 Clerk: —    工号 Staff No.: —"


def status_text(state: WindowState) -> str:
    """Mandarin above English, as on every screen in the hall."""
    if state.status == "called":
        number = state.ticket
        return f"请 {number} 号到本窗口办理\nNumber {number}, please come to this window"
    if state.status == "serving":
        return "正在办理\nNow serving"
    if state.status == "paused":
        zh, en = PAUSE_REASONS.get(state.pause_reason or "other", PAUSE_REASONS["other"])
        return f"暂停服务：{zh}\nPaused: {en}"
    if state.status == "closed":
        return "本窗口暂未开放\nThis window is closed"
    if state.status == "unknown":
        return "正在连接\nConnecting…"
    return "请稍候\nPlease wait"


def clerk_text(state: WindowState) -> str:
    if state.clerk is None:
        return NO_CLERK
    return f"工作人员 Clerk: {state.clerk.name}    工号 Staff No.: {state.clerk.staff_no}"


class WindowDisplay(App[None]):
    CSS_PATH = "display.tcss"
    TITLE = "hallq window display"
    # True once the widgets exist: a watcher can fire before (App.is_mounted is a method).
    _widgets_ready: bool = False
    BINDINGS: ClassVar = [("ctrl+q", "quit", "Quit")]

    state: reactive[WindowState] = reactive(WindowState(number=0), always_update=True)
    online: reactive[bool] = reactive(False)

    def __init__(
        self,
        window: int,
        source: AsyncIterable[StreamMessage] | None = None,
        *,
        initial: WindowState | None = None,
        online: bool = False,
        rating: RatingPad | None = None,
    ) -> None:
        super().__init__()
        self._source = source
        self._rating = rating  # 好差评: opens after each case finished here (window_display.rating)
        self.set_reactive(WindowDisplay.state, initial or WindowState(number=window))
        self.set_reactive(WindowDisplay.online, online)

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static(id="window-number")
            yield Static(id="window-name")
            yield Static("离线 · 正在重新连接  Offline · reconnecting", id="offline")
        yield Static(id="clerk")
        with Vertical(id="middle"):
            yield BigNumber(id="ticket")
            yield Static(id="status")

    def on_mount(self) -> None:
        self._widgets_ready = True
        self._draw(self.state)
        self._draw_online(self.online)
        if self._source is not None:
            self.run_worker(self._follow(self._source), name="follow", exclusive=True)

    async def _follow(self, source: AsyncIterable[StreamMessage]) -> None:
        try:
            async for message in source:
                self.receive(message)
        except StreamRefused as exc:
            self.query_one("#status", Static).update(f"无法显示  ·  Cannot show: {exc}")

    def receive(self, message: StreamMessage) -> None:
        """Apply one message of the hall's event stream (also the way tests feed the app)."""
        if isinstance(message, Status):
            self.online = message.connected
        elif isinstance(message, StreamSnapshot):
            self.state = from_snapshot(message.body, self.state.number)
        elif isinstance(message, StreamEvent):
            self.state = apply_event(self.state, message.kind, message.window, message.payload)
            if self._rating is not None:
                self._rating.offer(self, message)

    def watch_state(self, state: WindowState) -> None:
        if self._widgets_ready:
            self._draw(state)

    def watch_online(self, online: bool) -> None:
        if self._widgets_ready:
            self._draw_online(online)

    def _draw(self, state: WindowState) -> None:
        self.query_one("#window-number", Static).update(
            f"{state.number} 号窗口  Window {state.number}"
        )
        self.query_one("#window-name", Static).update(state.name)
        self.query_one("#clerk", Static).update(clerk_text(state))
        self.query_one("#ticket", BigNumber).value = state.ticket
        status = self.query_one("#status", Static)
        status.update(status_text(state))
        self.screen.set_classes(f"status-{state.status}")

    def _draw_online(self, online: bool) -> None:
        self.query_one("#offline", Static).display = not online
