"""The clerk console's dialogs: each asks for what one move needs and returns it, or None.

Keyboard first (a clerk does this all day): digits pick, Enter confirms, Escape cancels.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    ListItem,
    ListView,
    OptionList,
    SelectionList,
    Static,
)

from hallq_client.models import OpenCase
from window_display.console_model import (
    CASE_TYPES,
    PAUSE_REASONS,
    promised_case_line,
)

Answer = dict[str, Any]


class Dialog(ModalScreen[Answer | None]):
    """Title, body, a line for what is missing, OK and Cancel."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    TITLE_TEXT = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.TITLE_TEXT, classes="dialog-title")
            yield from self.body()
            yield Static("", id="dialog-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("确定 OK", id="ok", variant="primary")
                yield Button("取消 Cancel", id="cancel")

    def body(self) -> ComposeResult:
        yield from ()

    def collect(self) -> Answer | None:
        """The answer, or None after saying on the error line what is missing."""
        return {}

    def complain(self, text: str) -> None:
        self.query_one("#dialog-error", Static).update(text)

    def submit(self) -> None:
        answer = self.collect()
        if answer is not None:
            self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.submit()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()


def _text(widget: Input) -> str:
    return widget.value.strip()


class ChoiceDialog(Dialog):
    """One choice from a list (digits pick it) and an optional text below it."""

    CHOICES: tuple[tuple[str, str, str], ...] = ()

    def body(self) -> ComposeResult:
        yield OptionList(
            *(f"{i}  {zh}  {en}" for i, (_, zh, en) in enumerate(self.CHOICES, 1)), id="choices"
        )

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def on_key(self, event: Any) -> None:
        key = getattr(event, "character", None) or ""
        if key.isdigit() and 1 <= int(key) <= len(self.CHOICES):
            event.stop()
            self.query_one("#choices", OptionList).highlighted = int(key) - 1
            self.chosen()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.chosen()

    def chosen(self) -> None:
        self.submit()

    def choice(self) -> str | None:
        index = self.query_one("#choices", OptionList).highlighted
        return None if index is None else self.CHOICES[index][0]


class FinishDialog(ChoiceDialog):
    """办件类型; a promised case shows its default deadline, which may be changed."""

    TITLE_TEXT = "办结 — 办件类型 / Finish — case type"
    CHOICES = CASE_TYPES

    def __init__(self, default_deadline: str | None) -> None:
        super().__init__()
        self.default_deadline = default_deadline or ""

    def body(self) -> ComposeResult:
        yield from super().body()
        yield Label("承诺件办结期限 Deadline of a promised case (YYYY-MM-DD):")
        yield Input(self.default_deadline, id="deadline", placeholder="YYYY-MM-DD")

    def chosen(self) -> None:
        if self.choice() == "promised":
            self.query_one("#deadline", Input).focus()  # shown and editable before confirming
        else:
            self.submit()

    def collect(self) -> Answer | None:
        case_type = self.choice()
        if case_type is None:
            self.complain("请选择办件类型 / choose a case type")
            return None
        answer: Answer = {"case_type": case_type}
        if case_type == "promised":
            deadline = _text(self.query_one("#deadline", Input))
            if deadline and deadline != self.default_deadline:
                answer["deadline"] = deadline
        return answer


class PauseDialog(ChoiceDialog):
    TITLE_TEXT = "暂停 — 原因 / Pause — reason"
    CHOICES = PAUSE_REASONS

    def body(self) -> ComposeResult:
        yield from super().body()
        yield Input(placeholder="备注 Note (optional)", id="note")

    def collect(self) -> Answer | None:
        reason = self.choice()
        if reason is None:
            self.complain("请选择原因 / choose a reason")
            return None
        note = _text(self.query_one("#note", Input))
        return {"reason": reason, "note": note or None}


class ConcludeDialog(Dialog):
    """办结 a promised case: the window's open ones, nearest deadline first (overdue ones
    stand out); Enter picks one and asks to confirm, Enter again concludes it."""

    TITLE_TEXT = "办结承诺件 / Conclude a promised case"

    def __init__(self, cases: list[OpenCase]) -> None:
        super().__init__()
        self.cases = cases

    def body(self) -> ComposeResult:
        yield ListView(
            *(
                ListItem(
                    Label(promised_case_line(case)),
                    classes="overdue" if case.get("overdue") else "",
                )
                for case in self.cases
            ),
            id="cases",
        )
        yield Label("办结日期 Day concluded (YYYY-MM-DD), 空为今天 empty for today:")
        yield Input(placeholder="YYYY-MM-DD", id="concluded-on")
        yield Static("", id="confirm")

    def on_mount(self) -> None:
        cases = self.query_one("#cases", ListView)
        cases.index = 0
        cases.focus()

    def picked(self) -> OpenCase | None:
        index = self.query_one("#cases", ListView).index
        return None if index is None else self.cases[index]

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        event.stop()
        self.query_one("#confirm", Static).update("")

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        case = self.picked()
        if case is None:
            return
        self.query_one("#confirm", Static).update(
            f"确认办结 {case['number']}？按 Enter 确定 / Conclude {case['number']}? "
            "Enter to confirm"
        )
        self.query_one("#concluded-on", Input).focus()

    def collect(self) -> Answer | None:
        case = self.picked()
        if case is None:
            self.complain("请选择一件承诺件 / choose a promised case")
            return None
        day = _text(self.query_one("#concluded-on", Input))
        if day and not _is_day(day):
            self.complain("日期格式应为 YYYY-MM-DD / the day is written YYYY-MM-DD")
            return None
        return {"ticket_id": case["ticket_id"], "number": case["number"],
                "concluded_on": day or None}  # fmt: skip


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


class CallNumberDialog(Dialog):
    TITLE_TEXT = "指定叫号 / Call a specific number"

    def body(self) -> ComposeResult:
        yield Input(placeholder="号码 Number, e.g. A012", id="number")
        yield Input(placeholder="原因 Reason (needed when it skips the queue)", id="reason")

    def on_mount(self) -> None:
        self.query_one("#number", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # Enter after the number asks for the reason, not submits
        if event.input.id == "reason":
            self.submit()
        else:
            self.query_one("#reason", Input).focus()

    def collect(self) -> Answer | None:
        number = _text(self.query_one("#number", Input)).upper()
        if not number:
            self.complain("请输入号码 / enter a number")
            return None
        reason = _text(self.query_one("#reason", Input))
        return {"ticket": number, "reason": reason or None}


class TransferDialog(Dialog):
    """首问负责: to another service or window, always with a note for the next window."""

    TITLE_TEXT = "转移 / Transfer"

    def __init__(self, services: list[tuple[str, str]], windows: list[int]) -> None:
        super().__init__()
        self.services = services
        self.windows = windows

    def body(self) -> ComposeResult:
        # Every service, in a list that scrolls: a line of codes showed 4.5 of the 12.
        yield Label("业务 Services (选择或输入代码 pick one or type its code):")
        yield OptionList(*(f"{code}  {name}" for code, name in self.services), id="service-list")
        yield Input(placeholder="业务代码 Service code (or leave empty)", id="service")
        yield Input(
            placeholder=f"窗口 Window ({', '.join(map(str, self.windows))}) or empty",
            id="window",
        )
        yield Input(placeholder="交代 Note for the next window (required)", id="note")

    def on_mount(self) -> None:
        self.query_one("#service", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#service", Input).value = self.services[event.option_index][0]
        self.query_one("#window", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # not Dialog's handler as well: Enter moves to the next field
        if event.input.id == "note":
            self.submit()
        else:
            self.focus_next()

    def collect(self) -> Answer | None:
        service = _text(self.query_one("#service", Input)).upper() or None
        window_text = _text(self.query_one("#window", Input))
        note = _text(self.query_one("#note", Input))
        if service is None and not window_text:
            self.complain("请填写目标业务或窗口 / give a target service or window")
            return None
        if window_text and not window_text.isdigit():
            self.complain("窗口应为数字 / the window is a number")
            return None
        if not note:
            self.complain("请写明交代事项 / a note for the next window is required")
            return None
        return {"service": service, "window": int(window_text) if window_text else None,
                "note": note}  # fmt: skip


class NoticeDialog(Dialog):
    """一次性告知: tick every missing material at once; a slip is printed if possible."""

    TITLE_TEXT = "一次性告知 — 缺少的材料 / One-time notice — missing materials"

    def __init__(self, materials: list[str]) -> None:
        super().__init__()
        self.materials = materials

    def body(self) -> ComposeResult:
        yield SelectionList[str](*((m, m) for m in self.materials), id="materials")
        yield Input(placeholder="其他说明 Other remarks (optional)", id="note")

    def on_mount(self) -> None:
        self.query_one("#materials", SelectionList).focus()

    def collect(self) -> Answer | None:
        picked = list(self.query_one("#materials", SelectionList).selected)
        if not picked:
            self.complain("请勾选缺少的材料（空格键）/ tick the missing materials (space)")
            return None
        note = _text(self.query_one("#note", Input))
        return {"materials": picked, "note": note or None}


class ConfirmDialog(Dialog):
    """A move that cannot be undone, asked once more; Cancel has the focus, so a stray
    Enter does nothing."""

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.text = text

    def body(self) -> ComposeResult:
        yield Static(self.text, id="confirm-text", markup=False)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()


class LoginDialog(Dialog):
    """Staff number and password; the console signs in to its window right after."""

    TITLE_TEXT = "登录 / Log in"

    def __init__(self, window: int, message: str = "", *, error: bool = True) -> None:
        super().__init__()
        self.window = window
        self.message = message
        self.error = error  # a sign-out's goodbye is news, not an error

    def body(self) -> ComposeResult:
        yield Label(f"{self.window} 号窗口 · Window {self.window}")
        yield Input(placeholder="工号 Staff number", id="staff-no")
        yield Input(placeholder="密码 Password", password=True, id="password")

    def on_mount(self) -> None:
        self.complain(self.message)
        self.query_one("#dialog-error", Static).set_class(not self.error, "news")
        self.query_one("#staff-no", Input).focus()

    def action_cancel(self) -> None:
        """There is nothing behind this dialog to go back to."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # not Dialog's handler as well
        if event.input.id == "staff-no":
            self.query_one("#password", Input).focus()
        else:
            self.submit()

    def collect(self) -> Answer | None:
        staff_no = _text(self.query_one("#staff-no", Input))
        password = self.query_one("#password", Input).value
        if not staff_no or not password:
            self.complain("请输入工号和密码 / enter your staff number and password")
            return None
        return {"staff_no": staff_no, "password": password}
