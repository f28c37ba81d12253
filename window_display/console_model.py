"""What the clerk console shows, computed from the server's answers (framework-free).

The server decides every rule; this only picks this window's part out of a snapshot and
words it in Mandarin above English for the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hallq_client.models import Clerk, OpenCase, Snapshot, Ticket, WindowDay

CASE_TYPES: tuple[tuple[str, str, str], ...] = (
    ("immediate", "即办件", "immediate"),
    ("promised", "承诺件", "promised (deadline)"),
    ("reply", "答复件", "reply (cannot be handled)"),
    ("joint", "联办件", "joint (several departments)"),
    ("report_up", "报批件", "report-up (higher approval)"),
)
PAUSE_REASONS: tuple[tuple[str, str, str], ...] = (
    ("break", "休息", "break"),
    ("meeting", "会议", "meeting"),
    ("backup_cover", "顶岗", "covering another window"),
    ("training", "培训", "training"),
    ("other", "其他", "other"),
)
STATE_TEXT = {
    "called": ("已叫号，等候到窗", "called, coming to the window"),
    "serving": ("办理中", "serving"),
    "on_hold": ("挂起", "on hold"),
}
ATTENDANCE_TEXT = {
    "on_time": ("按时签到", "signed in on time"),
    "late": ("迟到", "signed in late"),
    "outside_hours": ("非办公时间签到", "signed in outside opening hours"),
    "early_leave": ("早退", "left early"),
}


@dataclass(frozen=True)
class WindowPicture:
    """This window as of one snapshot."""

    number: int
    name: str = ""
    paused: bool = False
    pause_reason: str | None = None
    services: tuple[str, ...] = ()
    current: Ticket | None = None
    clerk: Clerk | None = None
    waiting: tuple[Ticket, ...] = ()
    server_time: datetime | None = None
    windows: tuple[int, ...] = field(default_factory=tuple)


def picture(snapshot: Snapshot, number: int) -> WindowPicture:
    windows = snapshot.get("windows", [])
    mine = next((w for w in windows if w.get("number") == number), None)
    if mine is None:
        return WindowPicture(number=number)
    services = tuple(mine.get("services", {}))
    waiting = tuple(
        t
        for t in snapshot.get("waiting", [])
        if t.get("service") in services and t.get("target_window") in (None, number)
    )
    return WindowPicture(
        number=number,
        name=str(mine.get("name", "")),
        paused=bool(mine.get("paused")),
        pause_reason=mine.get("pause_reason"),
        services=services,
        current=mine.get("current"),
        clerk=mine.get("clerk"),
        waiting=waiting,
        server_time=_instant(snapshot.get("at")),
        windows=tuple(int(w["number"]) for w in windows),
    )


def _instant(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def running_text(ticket: Ticket | None, now: datetime | None) -> str:
    """Handling time of the visitor being served (or time since the call)."""
    if ticket is None or now is None:
        return ""
    if ticket.get("state") == "serving" and ticket.get("started_at"):
        since = _instant(ticket["started_at"])
        label = "办理用时 Handling"
    elif ticket.get("called_at"):
        since = _instant(ticket["called_at"])
        label = "叫号后 Since call"
    else:
        return ""
    assert since is not None
    return f"{label} {clock_text((now - since).total_seconds())}"


def ticket_text(ticket: Ticket | None) -> str:
    if ticket is None:
        return "空闲 — 按 F1 叫号\nIdle — press F1 to call the next visitor"
    zh, en = STATE_TEXT.get(ticket.get("state", ""), (ticket.get("state", ""),) * 2)
    recalls = int(ticket.get("recall_count") or 0)
    recall = f"   重呼 Recalls: {recalls}" if recalls else ""
    return f"{ticket['number']}   {ticket.get('service', '')}   {zh} / {en}{recall}"


def waiting_line(ticket: Ticket, now: datetime | None) -> str:
    issued = _instant(ticket.get("issued_at"))
    waited = clock_text((now - issued).total_seconds()) if now and issued else ""
    priority = {"green": " 绿色通道", "appointment": " 预约"}.get(ticket.get("priority", ""), "")
    return f"{ticket['number']:<6} {ticket.get('service', ''):<6} {waited:>8}{priority}"


def counts_text(today: WindowDay | None) -> str:
    if not today:
        return ""
    by_type = today.get("by_case_type") or {}
    types = "  ".join(f"{zh} {by_type.get(code, 0)}" for code, zh, _ in CASE_TYPES)
    average = today.get("average_handling_seconds")
    avg = f"  平均办理 Avg {clock_text(average)}" if average is not None else ""
    return (
        f"今日 Today: 叫号 called {today.get('called', 0)}  办结 finished "
        f"{today.get('finished', 0)}  过号 no-show {today.get('no_show', 0)}  转移 transferred "
        f"{today.get('transferred', 0)}{avg}\n{types}"
    )


def pause_text(reason: str | None) -> str:
    for code, zh, en in PAUSE_REASONS:
        if code == reason:
            return f"暂停中：{zh} / Paused: {en} — F9 恢复 resume"
    return "暂停中 / Paused — F9 恢复 resume"


def attendance_text(code: str, minutes_late: int = 0) -> str:
    """How a sign-in (or, with its sign_out_attendance, a sign-out) went."""
    if code == "late":
        late = minutes_late
        return f"迟到 {late} 分钟 · signed in {late} min late"
    zh, en = ATTENDANCE_TEXT.get(code, (code, code))
    return f"{zh} · {en}"


def promised_case_state(left: int) -> str:
    """How a promised case stands against its deadline, in working days left (<0: late)."""
    if left < 0:
        return f"逾期 {-left} 个工作日 / {-left} working days late"
    if left == 0:
        return "今日到期 / due today"
    return f"剩 {left} 个工作日 / {left} working days left"


def promised_case_line(case: OpenCase) -> str:
    """One open promised case in the 办结 list: number, service, finished, deadline, state."""
    return (
        f"{case['number']:<6} {case.get('service', ''):<5} 受理 {case.get('finished_on', '')}"
        f"  期限 {case.get('deadline', '')}  {promised_case_state(case['working_days_left'])}"
    )


# The server's refusals by code, in Chinese; its own English message follows (console.py).
REFUSALS: dict[str, str] = {
    "illegal_state_change": "当前状态下不能这样操作",
    "window_busy": "本窗口还有正在办理的号码，请先办结、挂起或转移",
    "window_paused": "本窗口已暂停，请先恢复服务",
    "not_served_here": "本窗口不办理该业务",
    "reason_required": "请填写原因",
    "hall_closed": "现在不在办公时间",
    "window_closed": "本窗口未开放",
    "window_staffed": "本窗口已有工作人员签到",
    "signed_in_elsewhere": "您已在其他窗口签到",
    "not_at_this_window": "该号码不在本窗口",
    "transfer_to_self": "不能转给本窗口或同一业务",
    "transfer_target_missing": "请填写目标业务或窗口",
    "invalid_deadline": "办结期限不正确",
    "not_paused": "本窗口没有暂停",
    "not_found": "没有找到",
    "forbidden": "没有权限",
    "conflict": "与当前状态冲突",
    "invalid_request": "输入有误",
    "unauthorized": "请重新登录",
}


def refusal_text(code: str, message: str) -> str:
    """Chinese first, then the server's English words as they are."""
    return f"✖ {REFUSALS.get(code, '操作被拒绝')} / {message}"
