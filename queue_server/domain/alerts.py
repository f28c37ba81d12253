"""The duty lead's alert rules (值班长: "watches queues and windows live", DOMAIN.md).

Framework-free: the service layer gathers what the floor looks like now (`FloorFacts`) and
what happened that needs a person (help requests, bad ratings, follow-ups due); `conditions`
turns that into the alerts that should be standing, each with a stable `key`. The service
stores them: a key that appears raises an alert, a key that disappears only marks its alert
as cleared, because nothing leaves the duty lead's list until someone acknowledges it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from queue_server.domain.floor import device_status


class Rule(StrEnum):
    WAIT_OVER_TARGET = "wait_over_target"
    QUEUE_OVER_LIMIT = "queue_over_limit"
    WINDOW_UNATTENDED = "window_unattended"
    PAUSE_OVER_LIMIT = "pause_over_limit"
    PRINTER_PAPER_LOW = "printer_paper_low"
    PRINTER_PAPER_OUT = "printer_paper_out"
    PRINTER_OFFLINE = "printer_offline"
    PRINTER_FAULT = "printer_fault"
    DEVICE_OFFLINE = "device_offline"
    HELP_REQUESTED = "help_requested"
    BAD_RATING = "bad_rating"
    FOLLOW_UP_DUE = "follow_up_due"
    COMPLAINT_DUE = "complaint_due"


class Severity(StrEnum):
    WARNING = "warning"
    URGENT = "urgent"


RULE_TEXT: dict[Rule, tuple[str, str]] = {
    Rule.WAIT_OVER_TARGET: ("等候超时", "Wait over target"),
    Rule.QUEUE_OVER_LIMIT: ("排队过长", "Queue too long"),
    Rule.WINDOW_UNATTENDED: ("窗口无人", "Window unattended"),
    Rule.PAUSE_OVER_LIMIT: ("暂停超时", "Pause over its limit"),
    Rule.PRINTER_PAPER_LOW: ("打印纸将尽", "Printer paper low"),
    Rule.PRINTER_PAPER_OUT: ("打印机缺纸", "Printer out of paper"),
    Rule.PRINTER_OFFLINE: ("打印机离线", "Printer offline"),
    Rule.PRINTER_FAULT: ("打印故障", "Print job failed"),
    Rule.DEVICE_OFFLINE: ("设备离线", "Device offline"),
    Rule.HELP_REQUESTED: ("群众求助", "Help requested"),
    Rule.BAD_RATING: ("差评", "Bad rating"),
    Rule.FOLLOW_UP_DUE: ("差评回访将到期", "Bad-rating follow-up due soon"),
    Rule.COMPLAINT_DUE: ("投诉处理将到期", "Complaint due soon"),
}

OVERDUE_TEXT: dict[Rule, tuple[str, str]] = {
    Rule.FOLLOW_UP_DUE: (
        "差评回访已逾期 {n} 个工作日",
        "Bad-rating follow-up overdue by {n} working day{s}",
    ),
    Rule.COMPLAINT_DUE: ("投诉处理已逾期 {n} 个工作日", "Complaint overdue by {n} working day{s}"),
}


def alert_title(rule: str, detail: dict[str, Any]) -> tuple[str, str]:
    """(zh, en) title of an alert: a deadline already past says "overdue by N working days",
    not "due soon" (as of the alert's own detail, judged when it was raised)."""
    try:
        known = Rule(rule)
    except ValueError:  # a stored rule this version no longer knows is shown by its key
        return rule, rule
    left = detail.get("working_days_left")
    if known in OVERDUE_TEXT and isinstance(left, int) and left < 0:
        zh, en = OVERDUE_TEXT[known]
        return zh.format(n=-left), en.format(n=-left, s="" if left == -1 else "s")
    return RULE_TEXT[known]


URGENT_RULES = frozenset(
    {
        Rule.WINDOW_UNATTENDED,
        Rule.PRINTER_PAPER_OUT,
        Rule.PRINTER_FAULT,
        Rule.HELP_REQUESTED,
        Rule.BAD_RATING,
    }
)


@dataclass(frozen=True)
class Thresholds:
    """The hall's `[floor]` section as plain numbers (see config/models.py FloorSection)."""

    queue_over: int = 15
    unattended_grace_minutes: int = 5
    pause_limit_minutes: Mapping[str, int] = field(
        default_factory=lambda: {
            "break": 15,
            "meeting": 60,
            "backup_cover": 120,
            "training": 120,
            "other": 30,
        }
    )
    default_pause_limit_minutes: int = 30
    device_offline_seconds: int = 150
    due_within_working_days: int = 1

    def pause_limit(self, reason: str | None) -> timedelta:
        minutes = self.pause_limit_minutes.get(reason or "", self.default_pause_limit_minutes)
        return timedelta(minutes=minutes)


@dataclass(frozen=True)
class ServiceFacts:
    code: str
    waiting: int
    longest_wait: timedelta | None
    target_wait: timedelta


@dataclass(frozen=True)
class WindowFacts:
    number: int
    is_open: bool
    staffed: bool  # a clerk is signed in
    paused_since: datetime | None
    pause_reason: str | None
    # Since when nobody has been at this open window inside opening hours (None: not now).
    unattended_since: datetime | None = None


@dataclass(frozen=True)
class DeviceFacts:
    name: str
    kind: str
    last_seen: datetime | None  # the last health report (None: never reported)
    printer: str | None = None  # ok, paper_low, paper_out, offline, unknown


@dataclass(frozen=True)
class Occurrence:
    """Something that happened once and needs a person: a help request, a bad rating."""

    rule: Rule
    ref: str  # what makes it unique (the event's seq, the rating's id)
    at: datetime
    window: int | None = None
    device: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Deadline:
    """An open case with a deadline: a bad-rating follow-up, a complaint."""

    rule: Rule
    ref: str
    deadline: date
    working_days_left: int
    window: int | None = None


@dataclass(frozen=True)
class PrinterReport:
    """One recorded health report of a device's printer, in log order."""

    at: datetime
    state: str | None  # ok, paper_low, paper_out, offline, fault, unknown
    fault: bool = False  # the report carries a failed print job


@dataclass(frozen=True)
class PrinterEpisode:
    """A stretch of time one printer was in one bad state: from `start` to its recovery."""

    device: str
    state: str  # paper_low, paper_out, offline, fault
    start: datetime
    end: datetime | None = None  # None while it lasts
    failed_jobs: int = 0


@dataclass(frozen=True)
class FloorFacts:
    now: datetime
    in_hours: bool
    services: Sequence[ServiceFacts] = ()
    windows: Sequence[WindowFacts] = ()
    devices: Sequence[DeviceFacts] = ()
    occurrences: Sequence[Occurrence] = ()
    deadlines: Sequence[Deadline] = ()
    # Today's printer episodes; None: not gathered, judge from the devices' last state.
    printer_episodes: Sequence[PrinterEpisode] | None = None


@dataclass(frozen=True)
class Condition:
    """An alert that should be standing now."""

    key: str
    rule: Rule
    severity: Severity
    since: datetime
    window: int | None = None
    service: str | None = None
    device: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    until: datetime | None = None  # it already ended then (a printer that recovered)


def _condition(rule: Rule, key: str, since: datetime, **kw: Any) -> Condition:
    severity = Severity.URGENT if rule in URGENT_RULES else Severity.WARNING
    return Condition(key=key, rule=rule, severity=severity, since=since, **kw)


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def service_conditions(facts: FloorFacts, limits: Thresholds) -> list[Condition]:
    found: list[Condition] = []
    for s in facts.services:
        if s.longest_wait is not None and s.longest_wait > s.target_wait:
            found.append(
                _condition(
                    Rule.WAIT_OVER_TARGET,
                    f"wait:{s.code}",
                    facts.now - (s.longest_wait - s.target_wait),
                    service=s.code,
                    detail={
                        "longest_wait_minutes": _minutes(s.longest_wait),
                        "target_minutes": _minutes(s.target_wait),
                    },
                )
            )
        if s.waiting > limits.queue_over:
            found.append(
                _condition(
                    Rule.QUEUE_OVER_LIMIT,
                    f"queue:{s.code}",
                    facts.now,
                    service=s.code,
                    detail={"waiting": s.waiting, "limit": limits.queue_over},
                )
            )
    return found


def window_conditions(facts: FloorFacts, limits: Thresholds) -> list[Condition]:
    found: list[Condition] = []
    grace = timedelta(minutes=limits.unattended_grace_minutes)
    for w in facts.windows:
        if not w.is_open:
            continue
        if w.paused_since is not None:
            limit = limits.pause_limit(w.pause_reason)
            if facts.now - w.paused_since > limit:
                found.append(
                    _condition(
                        Rule.PAUSE_OVER_LIMIT,
                        f"pause:{w.number}:{w.paused_since.isoformat()}",
                        w.paused_since + limit,
                        window=w.number,
                        detail={
                            "reason": w.pause_reason,
                            "paused_minutes": _minutes(facts.now - w.paused_since),
                            "limit_minutes": _minutes(limit),
                        },
                    )
                )
        elif (
            facts.in_hours
            and not w.staffed
            and w.unattended_since is not None
            and facts.now - w.unattended_since >= grace
        ):
            found.append(
                _condition(
                    Rule.WINDOW_UNATTENDED,
                    f"unattended:{w.number}:{w.unattended_since.isoformat()}",
                    w.unattended_since + grace,
                    window=w.number,
                    detail={"minutes": _minutes(facts.now - w.unattended_since)},
                )
            )
    return found


PRINTER_RULES = {
    "paper_low": Rule.PRINTER_PAPER_LOW,
    "paper_out": Rule.PRINTER_PAPER_OUT,
    "offline": Rule.PRINTER_OFFLINE,
    "fault": Rule.PRINTER_FAULT,
}


def printer_episodes(device: str, reports: Sequence[PrinterReport]) -> list[PrinterEpisode]:
    """Split one device's reports into episodes of one bad printer state each.

    A report with a failed job but no bad state (an older kiosk) is a "fault" episode. The
    report that leaves a state ends its episode: that is the recovery time the duty lead
    sees, and a second paper-out later in the day is a second episode.
    """
    episodes: list[PrinterEpisode] = []
    current: PrinterEpisode | None = None
    for report in reports:
        state = report.state if report.state in PRINTER_RULES else None
        if state is None and report.fault:
            state = "fault"
        if current is not None and state == current.state:
            current = replace(current, failed_jobs=current.failed_jobs + report.fault)
            continue
        if current is not None:
            episodes.append(replace(current, end=report.at))
        current = (
            None
            if state is None
            else PrinterEpisode(device, state, report.at, failed_jobs=int(report.fault))
        )
    if current is not None:
        episodes.append(current)
    return episodes


def _episode_condition(episode: PrinterEpisode, kinds: Mapping[str, str]) -> Condition:
    return _condition(
        PRINTER_RULES[episode.state],
        f"printer:{episode.device}:{episode.state}:{episode.start.isoformat()}",
        episode.start,
        device=episode.device,
        detail={"kind": kinds.get(episode.device, "kiosk"), "failed_jobs": episode.failed_jobs},
        until=episode.end,
    )


def device_conditions(facts: FloorFacts, limits: Thresholds) -> list[Condition]:
    found: list[Condition] = []
    silence = timedelta(seconds=limits.device_offline_seconds)
    for d in facts.devices:
        # never reported: shown as "not reporting", not an alert (see docs)
        if d.last_seen is not None and device_status(d.last_seen, facts.now, silence) == "offline":
            found.append(
                _condition(
                    Rule.DEVICE_OFFLINE,
                    f"offline:{d.name}:{d.last_seen.isoformat()}",
                    d.last_seen + silence,
                    device=d.name,
                    detail={"kind": d.kind, "silent_minutes": _minutes(facts.now - d.last_seen)},
                )
            )
            continue
        rule = PRINTER_RULES.get(d.printer or "")
        if rule is not None and facts.printer_episodes is None:
            found.append(
                _condition(
                    rule,
                    f"printer:{d.name}:{d.printer}",
                    # a printer state comes with a report, but never an alert without a start
                    d.last_seen if d.last_seen is not None else facts.now,
                    device=d.name,
                    detail={"kind": d.kind},
                )
            )
    if facts.printer_episodes is not None:
        kinds = {d.name: d.kind for d in facts.devices}
        found += [_episode_condition(e, kinds) for e in facts.printer_episodes]
    return found


def occurrence_conditions(facts: FloorFacts) -> list[Condition]:
    return [
        _condition(
            o.rule,
            f"{o.rule.value}:{o.ref}",
            o.at,
            window=o.window,
            device=o.device,
            detail=dict(o.detail),
        )
        for o in facts.occurrences
    ]


def deadline_conditions(facts: FloorFacts, limits: Thresholds) -> list[Condition]:
    return [
        _condition(
            d.rule,
            f"{d.rule.value}:{d.ref}",
            facts.now,
            window=d.window,
            detail={"deadline": d.deadline.isoformat(), "working_days_left": d.working_days_left},
        )
        for d in facts.deadlines
        if d.working_days_left <= limits.due_within_working_days
    ]


def conditions(facts: FloorFacts, limits: Thresholds) -> list[Condition]:
    """Every alert that should be standing now, each under its own stable key."""
    return [
        *service_conditions(facts, limits),
        *window_conditions(facts, limits),
        *device_conditions(facts, limits),
        *occurrence_conditions(facts),
        *deadline_conditions(facts, limits),
    ]


@dataclass(frozen=True)
class Stored:
    """What the service knows of an alert it stored earlier under a key."""

    key: str
    acknowledged: bool
    cleared: bool


@dataclass(frozen=True)
class Changes:
    raise_: list[Condition]
    clear: list[str]  # keys whose condition is gone; the alert stays until acknowledged
    recur: list[str]  # keys cleared earlier whose condition is back, still unacknowledged
    # When a cleared key's condition ended, if known (a printer's recovery); else now.
    ended_at: Mapping[str, datetime] = field(default_factory=dict)


def reconcile(standing: Sequence[Condition], stored: Sequence[Stored]) -> Changes:
    """What to write so the stored alerts follow the standing conditions.

    `stored` is every alert of the day. One that was acknowledged and whose condition has
    since gone is history: the same trouble coming back raises a new alert. One that was
    acknowledged while its condition still stands is not raised again. An unacknowledged
    alert whose condition went away is marked cleared but stays on the list. A condition
    that already ended (`until`) is stored once, raised and cleared in one go, so a printer
    fault that came and went between two evaluations still reaches the duty lead.
    """
    live = [s for s in stored if not (s.acknowledged and s.cleared)]
    known = {s.key: s for s in live}
    ever = {s.key for s in stored}
    current = [c for c in standing if c.until is None]
    ended = {c.key: c for c in standing if c.until is not None}
    now_keys = {c.key for c in current}
    raise_ = [c for c in current if c.key not in known]
    raise_ += [c for c in ended.values() if c.key not in ever]
    recur = sorted(
        k for k in now_keys if k in known and known[k].cleared and not known[k].acknowledged
    )
    clear = sorted(
        s.key
        for s in live
        if not s.cleared and s.key not in now_keys and not _is_occurrence_key(s.key)
    )
    ended_at = {k: c.until for k, c in ended.items() if c.until is not None}
    return Changes(raise_=raise_, clear=clear, recur=recur, ended_at=ended_at)


_OCCURRENCE_PREFIXES = (f"{Rule.HELP_REQUESTED.value}:", f"{Rule.BAD_RATING.value}:")


def _is_occurrence_key(key: str) -> bool:
    """Help requests and bad ratings happened once: they never clear by themselves."""
    return key.startswith(_OCCURRENCE_PREFIXES)
