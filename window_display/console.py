"""The clerk console (窗口叫号器) at one window: log in, sign in, call and serve all day.

Function keys like a hardware caller, buttons for the mouse. Every move goes to the server
through hallq_client; the server's rules decide and its message is shown as it is. The
hall's event stream triggers a refresh of what the screen shows; when the server is away the
console says so and keeps retrying, and nothing is lost because nothing is kept here.

A move whose request or answer is lost is retried with the same intent, but never blindly:
the desk routes take no idempotency key, so before sending again the console re-reads its
window, and a move the server already made (only its answer was lost) is shown as done, not
made twice. F1 whose answer was lost shows the visitor the server really called.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.widgets import Button, Static

from hallq_client import ApiError, HallqClient, ServerUnreachable, models
from hallq_client.events import StreamEvent, StreamRefused, StreamSnapshot, StreamStatus
from printers import NoticeSlip, PrintJob, PrintWorker
from window_display.console_dialogs import (
    CallNumberDialog,
    ConcludeDialog,
    ConfirmDialog,
    FinishDialog,
    LoginDialog,
    NoticeDialog,
    PauseDialog,
    TransferDialog,
)
from window_display.console_model import (
    WindowPicture,
    attendance_text,
    counts_text,
    pause_text,
    picture,
    promised_case_state,
    refusal_text,
    running_text,
    ticket_text,
    waiting_line,
)

Action = Callable[[], Awaitable[None]]
# Given the window before the move and as re-read after a lost request: what to say when the
# server already made the move (its answer was lost), or None when it has not.
Seen = Callable[[WindowPicture, WindowPicture], str | None]
LOST_ANSWER = "（应答丢失，以服务器为准）/ (its answer was lost; as the server has it)"
# Two lines per key (Chinese, then English) in a 6x2 grid: every label whole at 100 columns.
KEYS: tuple[tuple[str, str, str], ...] = (
    ("f1", "call_next", "F1 叫号\nCall next"),
    ("f2", "recall", "F2 重呼\nRecall"),
    ("f3", "start", "F3 开始\nStart"),
    ("f4", "no_show", "F4 过号\nNo-show"),
    ("f5", "hold_or_return", "F5 挂起/恢复\nHold/Return"),
    ("f6", "transfer", "F6 转移\nTransfer"),
    ("f7", "finish", "F7 办结\nFinish"),
    ("f8", "call_number", "F8 指定叫号\nCall a number"),
    ("f9", "pause_or_resume", "F9 暂停/恢复\nPause/Resume"),
    ("f10", "notice", "F10 一次性告知\nNotice"),
    ("f11", "conclude", "F11 承诺件办结\nConclude"),
    ("f12", "sign_out", "F12 签退\nSign out"),
)


class ClerkConsole(App[None]):
    CSS_PATH = "console.tcss"
    TITLE = "hallq 窗口叫号 clerk console"
    ENABLE_COMMAND_PALETTE = False
    # True once the widgets exist: a watcher can fire before (App.is_mounted is a method).
    _widgets_ready: bool = False
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, action, label) for key, action, label in KEYS),
        Binding("ctrl+q", "quit", "Quit"),
        Binding("escape", "cancel_retry", "Cancel retry", show=False),
    ]

    online: reactive[bool] = reactive(True)
    signed_in: reactive[bool] = reactive(False)
    window: reactive[WindowPicture] = reactive(WindowPicture(0), always_update=True)
    today: reactive[models.WindowDay | None] = reactive(None, always_update=True)
    held: reactive[tuple[models.Ticket, ...]] = reactive((), always_update=True)
    message: reactive[str] = reactive("")
    busy: reactive[bool] = reactive(False)
    retrying: reactive[bool] = reactive(False)

    def __init__(
        self,
        client: HallqClient,
        window: int,
        *,
        printer: PrintWorker | None = None,
        refresh_every: float = 15.0,
        retry_every: float = 2.0,
        min_gap: float = 1.0,
        retry_for: float = 120.0,
    ) -> None:
        super().__init__()
        self.client = client
        self.number = window
        self.printer = printer
        self.refresh_every = refresh_every
        self.retry_every = retry_every
        self.min_gap = min_gap
        self.retry_for = retry_for  # how long a move is retried before the clerk decides
        self._cancel_retry = asyncio.Event()
        self.user: models.User | None = None
        self.attendance = ""
        self.hall: models.Hall | None = None
        self.services: list[models.Service] = []
        self.last_notice: models.Notice | None = None
        self.handover: tuple[str, str] | None = None  # ticket id, the sending window's note
        self._server_time: tuple[datetime, float] | None = None
        self._refresh_wanted = asyncio.Event()
        # Reads of the window by the order they were started (_read_window).
        self._reads_started = 0
        self._read_shown = 0
        self.set_reactive(ClerkConsole.window, WindowPicture(window))

    # ----- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static(id="window-title")
            yield Static(id="clerk")
            yield Static("离线 · 正在重试  Offline · retrying", id="offline")
        with Horizontal(id="middle"):
            with Vertical(id="left"):
                yield Static(id="current")
                yield Static(id="handover", markup=False)
                yield Static(id="running")
                yield Static(id="held")
                yield Static(id="counts")
            with Vertical(id="right"):
                yield Static("等候 Waiting", classes="heading")
                yield Static(id="waiting")
        yield Static(id="message")
        with Grid(id="keys"):
            for key, action, label in KEYS:
                yield Button(label, id=f"key-{key}", name=action, classes="key")

    def on_mount(self) -> None:
        self._widgets_ready = True
        self._draw()
        self.set_interval(1.0, self._tick)
        self.ask_login()

    # ----- login and sign-in -------------------------------------------------------------

    def ask_login(self, message: str = "", *, error: bool = True) -> None:
        self.signed_in = False
        while len(self.screen_stack) > 1:  # a dialog left open must not act for the next user
            self.pop_screen()
        self.push_screen(LoginDialog(self.number, message, error=error), self._logged_in)

    async def _logged_in(self, answer: dict[str, Any] | None) -> None:
        if answer is None:
            self.exit()
            return
        self.run_worker(self._log_in(answer), group="login", exclusive=True, exit_on_error=False)

    async def _log_in(self, answer: dict[str, Any]) -> None:
        try:
            login = await self.client.login(answer["staff_no"], answer["password"])
            self.user = login["user"]
            sign_in = await self.client.sign_in(self.number)
            self.hall = next(
                (h for h in await self.client.halls() if h["id"] == self.client.hall), None
            )
            self.services = await self.client.services()
        except ApiError as exc:
            with contextlib.suppress(ApiError, ServerUnreachable):
                if self.client.has_token:
                    await self.client.logout()
            self.ask_login(exc.message)
            return
        except ServerUnreachable:
            self.ask_login("服务器无法连接，请稍后再试 / The server cannot be reached; try again")
            return
        self.attendance = attendance_text(sign_in["attendance"], sign_in["minutes_late"])
        self.signed_in = True
        self.say(f"已签到 {self.number} 号窗口：{self.attendance}")
        await self.refresh_now()
        self.run_worker(self._follow(), group="follow", exclusive=True, exit_on_error=False)
        self.run_worker(self._refresher(), group="refresher", exclusive=True, exit_on_error=False)

    # ----- keeping the screen current --------------------------------------------------------

    async def _follow(self) -> None:
        """The hall's event stream: each change asks for a refresh; its status is ours."""
        stream = self.client.events()
        try:
            async for message in stream:
                if isinstance(message, StreamStatus):
                    if message.connected:
                        self._refresh_wanted.set()
                    else:
                        self.online = False
                elif isinstance(message, StreamEvent | StreamSnapshot):
                    self._refresh_wanted.set()
        except StreamRefused as exc:
            # Without the stream the console still refreshes on its timer and after each move.
            self.say(f"实时更新不可用 / No live updates: {exc}", error=True)
        finally:
            await stream.aclose()

    async def _refresher(self) -> None:
        while True:
            timeout = self.refresh_every if self.online else self.retry_every
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for loses a cancellation that
            # comes in the turn that wakes it, and the app's exit would wait for this loop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._refresh_wanted.wait()
            self._refresh_wanted.clear()
            await self.refresh_now()
            # A busy hall sends several events a second; its consoles need not each fetch
            # the snapshot that often (the console's own moves refresh at once anyway).
            await asyncio.sleep(self.min_gap)

    async def refresh_now(self) -> None:
        if not self.signed_in:
            return
        try:
            await self._read_window()
        except ServerUnreachable:
            self.online = False
        except ApiError as exc:
            self._api_error(exc)

    async def _read_window(self) -> WindowPicture:
        """The window as the server has it now, on screen; ServerUnreachable when it is away.

        The timer's read and a move's read can overlap. One started before the move's answer
        may come back after the move's own read, with the window as it was (the visitor just
        called not there yet): it is not shown over the newer one."""
        self._reads_started += 1
        started = self._reads_started
        snapshot = await self.client.snapshot()
        today = await self.client.window_today(self.number)
        self.online = True
        if started < self._read_shown:
            return self.window
        self._read_shown = started
        self.window = picture(snapshot, self.number)
        if self.window.server_time is not None:
            self._server_time = (self.window.server_time, time.monotonic())
        self.today = today
        return self.window

    def server_now(self) -> datetime | None:
        if self._server_time is None:
            return None
        at, seen = self._server_time
        return at + timedelta(seconds=time.monotonic() - seen)

    def _tick(self) -> None:
        # The clock line is on the console's own screen, below any dialog; the one-second
        # timer can fire while that screen is still being built or already taken down.
        try:
            running = self.screen_stack[0].query_one("#running", Static)
        except (IndexError, NoMatches):
            return
        running.update(running_text(self.window.current, self.server_now()))

    # ----- moves -------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """Signed in, no move on its way and no dialog open: a key may start a move."""
        return self.signed_in and not self.busy and len(self.screen_stack) == 1

    def move(
        self,
        action: Action,
        *,
        from_dialog: bool = False,
        seen: Seen | None = None,
        reads_only: bool = False,
    ) -> None:
        """Run one move; a key pressed while another move is on its way is ignored.

        When the server cannot be reached the move is retried until it answers (at most
        `retry_for` seconds; Esc stops): a move that only reads is simply sent again; one
        whose effect shows on the window (`seen`) is sent again only if the re-read window
        shows it was not made; any other is not sent again (the clerk checks and decides).
        """
        if not (self.ready or (from_dialog and self.signed_in and not self.busy)):
            return
        self.busy = True
        self.run_worker(self._run(action, seen, reads_only), group="move", exit_on_error=False)

    def action_cancel_retry(self) -> None:
        if self.retrying:
            self._cancel_retry.set()

    async def _run(self, action: Action, seen: Seen | None, reads_only: bool) -> None:
        before = self.window
        self._cancel_retry.clear()
        deadline = time.monotonic() + self.retry_for
        try:
            while True:
                try:
                    await action()
                    return
                except ServerUnreachable:
                    self.online = False
                    self.retrying = True
                after = await self._wait_for_server(deadline)
                if after is None:
                    return
                if reads_only:
                    continue
                if seen is None:
                    self.say(
                        "服务器已恢复，但无法确认刚才的操作是否完成，请核对后再操作 / "
                        "The server is back; it cannot be told whether the move was made: "
                        "check before pressing again",
                        error=True,
                    )
                    return
                done = seen(before, after)
                if done is not None:
                    self.say(f"{done} {LOST_ANSWER}")
                    return
                # not made: the same move again, on the window as it is now
        except ApiError as exc:
            self._api_error(exc)
        except Exception as exc:  # a console at a window must outlive any surprise
            self.log.error(f"move failed: {exc!r}")
            self.say(f"✖ 操作失败 / The move failed: {exc}", error=True)
        finally:
            self.retrying = False
            try:
                # Busy until the screen shows what the move did: a key pressed right after
                # (F1 then F3) must act on the visitor just called, not on the old picture.
                await self.refresh_now()
            finally:
                self.busy = False

    async def _wait_for_server(self, deadline: float) -> WindowPicture | None:
        """Retry reading the window until the server answers: the window, or None when the
        clerk cancelled or the time ran out (then the screen says so)."""
        attempt = 0
        while True:
            attempt += 1
            if time.monotonic() >= deadline:
                self.say(
                    "服务器仍无法连接，已停止重试；恢复后屏幕显示服务器的状态，请核对后再操作 / "
                    "Server still unreachable: stopped retrying; check the screen once it is "
                    "back before pressing again",
                    error=True,
                )
                return None
            self.say(
                f"服务器无法连接，正在重试（第 {attempt} 次）… Esc 取消 / "
                f"Server unreachable: retrying ({attempt})… Esc cancels",
                error=True,
            )
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.retry_every):  # not wait_for: see _refresher
                    await self._cancel_retry.wait()
            if self._cancel_retry.is_set():
                self.say(
                    "已取消重试；恢复连接后屏幕显示服务器的状态，请核对后再操作 / "
                    "Retry cancelled: check the screen once the server is back",
                    error=True,
                )
                return None
            try:
                return await self._read_window()
            except ServerUnreachable:
                self.online = False

    def _api_error(self, exc: ApiError) -> None:
        if exc.status == 401:
            if not self.signed_in:
                return  # signed out already: a refresh still on its way must not say more
            self.ask_login(f"请重新登录 / Please log in again: {exc.message}")
            return
        self.say(refusal_text(exc.code, exc.message), error=True)

    def say(self, text: str, *, error: bool = False) -> None:
        self.message = text
        self.query_one("#message", Static).set_class(error, "error")

    @property
    def current(self) -> models.Ticket | None:
        return self.window.current

    def _need_current(self) -> models.Ticket | None:
        if self.current is None:
            self.say("窗口没有当前号码 / No visitor at this window", error=True)
        return self.current

    async def _act(self, verb: str, body: dict[str, Any] | None = None) -> models.Ticket:
        ticket = self.current
        assert ticket is not None
        return await self.client.ticket_action(self.number, ticket["id"], verb, body)

    def action_call_next(self) -> None:
        async def call() -> None:
            called = await self.client.call_next(self.number)
            if called is None:
                self.say("没有等候的号码 / Nobody is waiting for this window")
            else:
                self.say(
                    f"请 {called['number']} 号到 {self.number} 号窗口 / Called {called['number']}"
                )
                await self._take_handover(called)

        self.move(call, seen=self._seen_called)

    def _seen_called(self, before: WindowPicture, after: WindowPicture) -> str | None:
        called = _new_current(before, after)
        return None if called is None else self._called_text(called)

    async def _take_handover(self, called: models.Ticket) -> None:
        """A transferred visitor comes with the sending window's note: show it here."""
        if not called["transferred_from"]:
            return
        note = await self.client.handover_note(self.number, called["id"])
        if note:
            self.handover = (called["id"], note)
            self._draw()

    def _called_text(self, ticket: models.Ticket) -> str:
        number = ticket["number"]
        return f"请 {number} 号到 {self.number} 号窗口 / Called {number}"

    def action_recall(self) -> None:
        if self._need_current() is None:
            return

        async def recall() -> None:
            ticket = await self._act("recall")
            if ticket["state"] == "no_show":
                self.say(f"{ticket['number']} 多次重呼未到，已过号 / No-show after recalls")
            else:
                count = ticket["recall_count"]
                self.say(f"重呼 {ticket['number']}（第 {count} 次）/ Recall #{count}")

        def seen(before: WindowPicture, after: WindowPicture) -> str | None:
            was, now = before.current, after.current
            if was is None:
                return None
            if _left(before, after):
                return f"{was['number']} 多次重呼未到，已过号 / No-show after recalls"
            if now is not None and now["recall_count"] > was["recall_count"]:
                count = now["recall_count"]
                return f"重呼 {now['number']}（第 {count} 次）/ Recall #{count}"
            return None

        self.move(recall, seen=seen)

    def action_start(self) -> None:
        ticket = self._need_current()
        if ticket is None:
            return

        def seen(before: WindowPicture, after: WindowPicture) -> str | None:
            now = after.current
            if now is None or now["id"] != ticket["id"] or now["state"] != "serving":
                return None
            return f"{now['number']}: 开始办理 / Serving"

        self.move(lambda: self._simple("start", "开始办理 / Serving"), seen=seen)

    def action_no_show(self) -> None:
        """过号 sends the visitor out of the queue for good: one key must not do it alone."""
        ticket = self._need_current() if self.ready else None
        if ticket is None:
            return
        number = ticket["number"]

        async def done(answer: dict[str, Any] | None) -> None:
            if answer is not None:
                self.move(
                    lambda: self._simple("no-show", "已过号 / Marked no-show"),
                    from_dialog=True,
                    seen=_when_left("已过号 / Marked no-show"),
                )

        self.push_screen(
            ConfirmDialog(
                "过号 / No-show",
                f"确认 {number} 号过号？过号后不再叫这个号码。\n"
                f"Mark {number} as a no-show? It will not be called again.",
            ),
            done,
        )

    async def _simple(self, verb: str, text: str) -> None:
        ticket = await self._act(verb)
        self.say(f"{ticket['number']}: {text}")

    def action_hold_or_return(self) -> None:
        if self.current is not None:

            async def hold() -> None:
                ticket = await self._act("hold")
                self.held = (*self.held, ticket)
                self.say(f"{ticket['number']} 已挂起，F5 恢复 / On hold; F5 brings it back")

            def held(before: WindowPicture, after: WindowPicture) -> str | None:
                ticket = before.current
                if ticket is None or not _left(before, after):
                    return None
                on_hold = ticket.copy()
                on_hold["state"] = "on_hold"
                self.held = (*self.held, on_hold)
                return f"{ticket['number']} 已挂起，F5 恢复 / On hold; F5 brings it back"

            self.move(hold, seen=held)
        elif self.held:
            last = self.held[-1]

            async def back() -> None:
                ticket = await self.client.ticket_action(self.number, last["id"], "return")
                self.held = tuple(t for t in self.held if t["id"] != last["id"])
                self.say(f"{ticket['number']} 继续办理 / Serving again")

            def returned(before: WindowPicture, after: WindowPicture) -> str | None:
                if after.current is None or after.current["id"] != last["id"]:
                    return None
                self.held = tuple(t for t in self.held if t["id"] != last["id"])
                return f"{last['number']} 继续办理 / Serving again"

            self.move(back, seen=returned)
        else:
            self.say("没有可挂起或恢复的号码 / Nothing to hold or bring back", error=True)

    def action_transfer(self) -> None:
        if not self.ready or self._need_current() is None:
            return
        services = [(s["code"], s["name"]["zh"]) for s in self.services]

        async def done(answer: dict[str, Any] | None) -> None:
            if answer is not None:
                self.move(
                    lambda: self._transfer(answer),
                    from_dialog=True,
                    seen=_when_left("已转移 / Transferred"),
                )

        self.push_screen(TransferDialog(services, list(self.window.windows)), done)

    async def _transfer(self, answer: dict[str, Any]) -> None:
        leg = await self._act("transfer", answer)
        target = f"{answer['window']} 号窗口" if answer.get("window") else leg["service"]
        self.say(f"{leg['number']} 已转至 {target} / Transferred")

    def action_finish(self) -> None:
        ticket = self._need_current()
        if ticket is None:
            return
        self.move(lambda: self._open_finish(ticket), reads_only=True)

    async def _open_finish(self, ticket: models.Ticket) -> None:
        deadline = await self.client.promised_deadline(ticket["service"])

        async def done(answer: dict[str, Any] | None) -> None:
            if answer is not None:
                self.move(
                    lambda: self._finish(answer),
                    from_dialog=True,
                    seen=_when_left("已办结 / Finished"),
                )

        self.push_screen(FinishDialog(deadline), done)

    async def _finish(self, answer: dict[str, Any]) -> None:
        ticket = await self._act("finish", answer)
        due = f"，办结期限 {ticket['deadline']}" if ticket.get("deadline") else ""
        self.say(f"{ticket['number']} 已办结（{ticket['case_type']}）{due} / Finished")

    def action_call_number(self) -> None:
        async def done(answer: dict[str, Any] | None) -> None:
            if answer is not None:
                self.move(
                    lambda: self._call_number(answer), from_dialog=True, seen=self._seen_called
                )

        if self.ready:
            self.push_screen(CallNumberDialog(), done)

    async def _call_number(self, answer: dict[str, Any]) -> None:
        called = await self.client.call_specific(self.number, answer["ticket"], answer["reason"])
        self.say(self._called_text(called))
        await self._take_handover(called)

    def action_pause_or_resume(self) -> None:
        if not self.ready:
            return
        if self.window.paused:
            self.move(
                self._resume,
                seen=lambda _b, after: None if after.paused else "已恢复服务 / Resumed",
            )
            return

        async def done(answer: dict[str, Any] | None) -> None:
            if answer is not None:
                self.move(
                    lambda: self._pause(answer),
                    from_dialog=True,
                    seen=lambda _b, after: pause_text(answer["reason"]) if after.paused else None,
                )

        self.push_screen(PauseDialog(), done)

    async def _pause(self, answer: dict[str, Any]) -> None:
        await self.client.pause(self.number, answer["reason"], answer["note"])
        self.say(pause_text(answer["reason"]))

    async def _resume(self) -> None:
        await self.client.resume(self.number)
        self.say("已恢复服务 / Resumed")

    def action_notice(self) -> None:
        ticket = self._need_current() if self.ready else None
        if ticket is None:
            return
        service = next((s for s in self.services if s["code"] == ticket["service"]), None)
        materials = [m["zh"] for m in service["publics"]["materials"]] if service else []
        if not materials:
            self.say("该业务未公布材料清单 / This service publishes no materials", error=True)
            return

        async def done(answer: dict[str, Any] | None) -> None:
            if answer is not None:
                self.move(lambda: self._notice(ticket, answer), from_dialog=True)

        self.push_screen(NoticeDialog(materials), done)

    async def _notice(self, ticket: models.Ticket, answer: dict[str, Any]) -> None:
        notice = await self.client.give_notice(
            self.number, ticket["id"], answer["materials"], answer["note"]
        )
        self.last_notice = notice
        if self.printer is None:
            self.say(f"告知已记录 {notice['registration_no']}（未配置打印机）/ Notice recorded")
            return
        name, staff_no = (self.user["name"], self.user["staff_no"]) if self.user else ("", "")
        slip = NoticeSlip(
            hall_name=self.hall["name"]["zh"] if self.hall else "",
            window=f"{self.number} 号窗口 {self.window.name}".strip(),
            number=notice["number"],
            service_name=self._service_name(notice["service"]),
            missing_materials=tuple(notice["materials"]),
            clerk_name=f"{name}（工号 {staff_no}）",
            issued_on=date.fromisoformat(notice["issued_on"]),
            registration_no=notice["registration_no"],
            note=notice["note"],
        )
        self.say(f"告知已记录 {notice['registration_no']}，正在打印 / Printing the notice")
        self.printer.submit(slip, on_done=self._printed)

    def _printed(self, job: PrintJob) -> None:
        result = job.result()
        text = (
            "告知书已打印 / Notice printed"
            if result.ok
            else f"✖ 告知书打印失败 / Printing failed: {result.reason}"
        )
        self.call_from_thread(self.say, text, error=not result.ok)

    def action_conclude(self) -> None:
        """办结 a promised case finished here earlier: pick it from the window's open ones."""
        if self.ready:
            self.move(self._open_conclude, reads_only=True)

    async def _open_conclude(self) -> None:
        cases = await self.client.open_promised_cases(self.number)
        if not cases:
            self.say("本窗口没有待办结的承诺件 / No open promised cases at this window")
            return

        async def done(answer: dict[str, Any] | None) -> None:
            if answer is not None:
                self.move(lambda: self._conclude(answer), from_dialog=True)

        self.push_screen(ConcludeDialog(cases), done)

    async def _conclude(self, answer: dict[str, Any]) -> None:
        day = answer.get("concluded_on")
        done = await self.client.conclude_case(
            self.number, answer["ticket_id"], date.fromisoformat(day) if day else None
        )
        overdue = int(done["overdue_working_days"])
        state = promised_case_state(-overdue) if overdue else "未逾期 / on time"
        self.say(
            f"{done['number']} 承诺件已办结 {done['concluded_on']}（期限 {done['deadline']}，"
            f"{state}）/ Case concluded"
        )

    def _service_name(self, code: str) -> str:
        service = next((s for s in self.services if s["code"] == code), None)
        return str(service["name"]["zh"]) if service else code

    def action_sign_out(self) -> None:
        if not self.signed_in:
            return

        async def sign_out() -> None:
            result = await self.client.sign_out(self.number)
            await self.client.logout()
            text = attendance_text(result["sign_out_attendance"] or "")
            self.ask_login(f"已签退，再见 / Signed out, goodbye: {text}", error=False)

        self.move(sign_out)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.name:
            event.stop()
            await self.run_action(event.button.name)

    # ----- drawing -----------------------------------------------------------------------

    def watch_window(self) -> None:
        self._draw()

    def watch_today(self) -> None:
        self._draw()

    def watch_held(self) -> None:
        self._draw()

    def watch_online(self, online: bool) -> None:
        if self._widgets_ready:
            self.query_one("#offline", Static).display = not online

    def watch_message(self, message: str) -> None:
        if self._widgets_ready:
            self.query_one("#message", Static).update(message)

    def _draw(self) -> None:
        if not self._widgets_ready:
            return
        view = self.window
        self.query_one("#window-title", Static).update(
            f"{self.number} 号窗口 Window {self.number}  {view.name}"
        )
        clerk = (
            f"{self.user['name']} 工号 {self.user['staff_no']} · {self.attendance}"
            if self.user
            else "未登录 Not logged in"
        )
        self.query_one("#clerk", Static).update(clerk)
        current = pause_text(view.pause_reason) if view.paused else ticket_text(view.current)
        self.query_one("#current", Static).update(current)
        self.query_one("#current", Static).set_class(view.paused, "paused")
        handover = self.query_one("#handover", Static)
        shown = (
            self.handover is not None
            and view.current is not None
            and view.current.get("id") == self.handover[0]
        )
        handover.display = shown
        if shown and self.handover is not None:
            handover.update(f"转来交代 Transfer note: {self.handover[1]}")
        held = ", ".join(t["number"] for t in self.held)
        self.query_one("#held", Static).update(f"挂起 On hold: {held}" if held else "")
        self.query_one("#counts", Static).update(counts_text(self.today))
        now = self.server_now()
        lines = [waiting_line(t, now) for t in view.waiting[:30]]
        more = len(view.waiting) - len(lines)
        if more > 0:
            lines.append(f"… +{more}")
        waiting = "\n".join(lines) or "无人等候 Nobody waiting"
        self.query_one("#waiting", Static).update(f"{len(view.waiting)} 人 people\n{waiting}")
        self._tick()


# ----- what a re-read window says about a move whose answer was lost ------------------------


def _new_current(before: WindowPicture, after: WindowPicture) -> models.Ticket | None:
    """The visitor at the window now if it is not the one before (a call was made)."""
    now, was = after.current, before.current
    if now is None or (was is not None and was["id"] == now["id"]):
        return None
    return now


def _left(before: WindowPicture, after: WindowPicture) -> bool:
    """The visitor before is no longer at the window (finished, transferred, held...)."""
    was, now = before.current, after.current
    return was is not None and (now is None or now["id"] != was["id"])


def _when_left(text: str) -> Seen:
    def seen(before: WindowPicture, after: WindowPicture) -> str | None:
        was = before.current
        return f"{was['number']}: {text}" if was is not None and _left(before, after) else None

    return seen
