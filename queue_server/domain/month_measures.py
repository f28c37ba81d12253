"""What a month of the hall measured, as plain frozen values (no web or database framework).

Built by `queue_server.domain.month_pass` from one ordered pass over the month's event log;
read by the bulletin renderers and by the monthly assessment (scoring). Every fact that can
cost or earn points carries the sequence numbers of the events it came from, so a score can
name them.

Times are seconds unless a field says minutes; days are the hall's local dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

AttendanceKind = Literal["late", "early_leave", "off_post", "unattended"]
ATTENDANCE_KINDS: tuple[AttendanceKind, ...] = ("late", "early_leave", "off_post", "unattended")


@dataclass(frozen=True)
class Durations:
    """A set of measured durations: count, total and exact order statistics (seconds)."""

    count: int = 0
    total_seconds: int = 0
    max_seconds: int = 0
    median_seconds: float | None = None
    p90_seconds: float | None = None

    @property
    def mean_seconds(self) -> float | None:
        return self.total_seconds / self.count if self.count else None

    @property
    def mean_minutes(self) -> float | None:
        mean = self.mean_seconds
        return None if mean is None else mean / 60


@dataclass(frozen=True)
class AttendanceIncident:
    """late / early_leave / off_post belong to a clerk; unattended to a window (staff_no is then
    the clerk who left it, or who came late to it; None when nobody can be named)."""

    staff_no: str | None
    window: int
    day: date
    kind: AttendanceKind
    minutes: int
    event_seqs: tuple[int, ...]  # for a session nobody came to: the day's last sign-out, if any
    reason: str | None = None  # off_post: the pause reason
    start: datetime | None = None  # the stretch it covers (unattended, off_post)
    end: datetime | None = None


@dataclass(frozen=True)
class OverdueCase:
    """A promised case (承诺件) past its deadline in this month.

    `overdue_working_days` counts only the overdue working days that fall inside this month
    (so a case overdue across a month end is charged once, split between the months);
    `total_overdue_working_days` counts from the deadline to the conclusion (or the as-of
    day, when still open)."""

    ticket_id: str
    number: str
    window: int
    staff_no: str | None
    service: str
    deadline: date
    concluded_on: date | None
    overdue_working_days: int
    total_overdue_working_days: int
    event_seqs: tuple[int, ...]


@dataclass(frozen=True)
class PromisedCase:
    """A promised case finished at a window in this month, with its deadline and outcome."""

    ticket_id: str
    number: str
    window: int
    staff_no: str | None
    service: str
    finished_on: date
    deadline: date
    promised_working_days: int
    concluded_on: date | None
    # Working days the conclusion came before the deadline (0 when on the day or late, or
    # not yet concluded): the best-window "ahead of the promise" bonus reads this.
    working_days_ahead: int
    event_seqs: tuple[int, ...]


@dataclass(frozen=True)
class RatingFact:
    window: int
    staff_no: str | None
    level: str  # queue_server.domain.rating.Level value
    dissatisfied: bool  # one of the two bad levels
    event_seq: int
    day: date | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class FollowUpFact:
    """The follow-up a bad rating opened, as it stood when the month was measured."""

    rating_id: str
    window: int
    staff_no: str | None
    opened_on: date
    deadline: date
    state: str  # open / closed
    closed_on: date | None
    overdue: bool  # closed after its deadline, or still open past it


@dataclass(frozen=True)
class OutOfOrderCall:
    """A specific number called ahead of the queue's order, with the clerk's reason."""

    ticket_id: str
    number: str
    service: str
    window: int
    staff_no: str | None
    at: datetime
    reason: str
    event_seq: int


@dataclass(frozen=True)
class PauseTotal:
    window: int
    staff_no: str | None
    reason: str
    count: int
    seconds: int  # inside opening hours only


@dataclass(frozen=True)
class ServiceMeasures:
    service: str
    name_zh: str
    issued: int  # new numbers taken for this service
    transferred_in: int  # legs queued here by a transfer
    called: int
    served: int  # finished cases
    no_shows: int
    cancelled: int
    transferred_out: int
    waiting: Durations
    walking: Durations
    handling: Durations
    hold: Durations
    target_wait_minutes: int
    within_target: int  # called legs whose wait was within the target

    @property
    def service_level(self) -> float | None:
        """Share of called legs whose wait was within the target (0..1)."""
        return self.within_target / self.called if self.called else None


@dataclass(frozen=True)
class WindowMeasures:
    window: int
    name_zh: str
    called: int
    served: int
    no_shows: int
    recalls: int
    transferred_out: int
    out_of_order_calls: int
    waiting: Durations
    walking: Durations
    handling: Durations
    hold: Durations
    case_types: dict[str, int]
    days_staffed: int
    staffed_seconds: int  # signed in, inside opening hours
    paused_seconds: int  # paused, inside opening hours
    unattended_minutes: int
    # Agreed service time on staffed days minus pauses and unattended time, over that time.
    availability: float | None
    ratings: dict[str, int]  # level -> count


@dataclass(frozen=True)
class StaffMeasures:
    staff_no: str
    windows: tuple[int, ...]
    days_worked: int
    called: int
    served: int
    no_shows: int
    transferred_out: int
    handling: Durations
    late: int
    early_leave: int
    off_post: int
    paused_seconds: int
    ratings: dict[str, int]


@dataclass(frozen=True)
class DayVolume:
    day: date
    issued: int
    served: int
    no_shows: int
    cancelled: int
    mean_wait_seconds: float | None


@dataclass(frozen=True)
class HourVolume:
    hour: int  # local hour of day, 0..23
    issued: int
    called: int
    served: int


@dataclass(frozen=True)
class WaitBucket:
    lower_minutes: int
    upper_minutes: int | None  # None: open-ended
    count: int

    @property
    def label(self) -> str:
        if self.upper_minutes is None:
            return f">={self.lower_minutes}"
        return f"{self.lower_minutes}-{self.upper_minutes}"


@dataclass(frozen=True)
class MonthTotals:
    issued: int  # numbers taken (visitors)
    legs: int  # tickets including transfer legs
    called: int
    served: int
    no_shows: int
    cancelled: int
    transfers: int
    recalls: int
    out_of_order_calls: int
    notices_given: int
    promised_cases: int
    overdue_cases: int
    ratings: int
    dissatisfied: int
    follow_ups_open: int
    follow_ups_overdue: int
    waiting: Durations  # each visitor's first wait (issue or check-in to first call)
    walking: Durations
    handling: Durations
    hold: Durations
    target_wait_minutes: int
    within_target: int

    @property
    def service_level(self) -> float | None:
        return self.within_target / self.called if self.called else None

    @property
    def satisfaction(self) -> float | None:
        """Share of ratings that are not dissatisfied (the bulletin's 满意度)."""
        return (self.ratings - self.dissatisfied) / self.ratings if self.ratings else None


@dataclass(frozen=True)
class ReportingMeasures:
    """好差评 records of the month for the provincial platform, by each record's own day."""

    reported: int  # accepted by the platform
    pending: int  # not yet (still waiting, or not collected yet)


@dataclass(frozen=True)
class EstimateAccuracy:
    """How the wait estimates given at issue compared with the real waits (one service, or
    all of them together when `service` is "")."""

    service: str
    called: int
    coverage: float | None  # share called inside the range they were given
    median_error_minutes: float | None  # |wait - midpoint of the range|
    median_width_minutes: float | None


@dataclass(frozen=True)
class MonthMeasures:
    hall_id: str
    hall_name_zh: str
    month: str  # YYYY-MM
    first_day: date
    last_day: date
    as_of: date  # days after this were not measured yet (a month still running)
    working_days: int
    events: int
    last_seq: int
    totals: MonthTotals
    services: list[ServiceMeasures]
    windows: list[WindowMeasures]
    staff: list[StaffMeasures]
    days: list[DayVolume]
    hours: list[HourVolume]
    waiting_distribution: list[WaitBucket]
    attendance: list[AttendanceIncident]
    pauses: list[PauseTotal]
    overdue_cases: list[OverdueCase]
    promised_cases: list[PromisedCase]
    ratings: list[RatingFact]
    follow_ups: list[FollowUpFact]
    out_of_order: list[OutOfOrderCall]
    timezone: str = "Asia/Shanghai"  # the hall's: instants above are UTC
    # None: the hall does not report 好差评 to a provincial platform ([haocha] enabled = false)
    reporting: ReportingMeasures | None = None
    estimates: list[EstimateAccuracy] = field(default_factory=list)

    def window(self, number: int) -> WindowMeasures | None:
        return next((w for w in self.windows if w.window == number), None)

    def staff_member(self, staff_no: str) -> StaffMeasures | None:
        return next((s for s in self.staff if s.staff_no == staff_no), None)

    def service(self, code: str) -> ServiceMeasures | None:
        return next((s for s in self.services if s.service == code), None)


@dataclass(frozen=True)
class MonthLine:
    """One month in a yearly summary."""

    month: str
    issued: int
    served: int
    no_shows: int
    mean_wait_seconds: float | None
    mean_handling_seconds: float | None
    service_level: float | None
    satisfaction: float | None
    ratings: int
    overdue_cases: int
    attendance_incidents: int


@dataclass(frozen=True)
class YearSummary:
    hall_id: str
    hall_name_zh: str
    year: int
    months: list[MonthLine]
    totals: MonthLine  # month = the year
    window_served: dict[int, int] = field(default_factory=dict)
    service_served: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ScoreLine:
    """One scored window or clerk as the bulletin shows it (filled from the assessment)."""

    subject: Literal["window", "staff"]
    key: str  # window number or staff number, as text
    label: str  # window name, or staff number (names stay out of published bulletins)
    points: float
    grade: str  # e.g. 优秀 / 称职 ... or excellent / good ...
    rank: int
    parts: dict[str, float] = field(default_factory=dict)  # part name -> points
    best_window: bool = False
    # 最佳窗口's own five-part score (windows only; None for months stored before it existed)
    best_window_points: float | None = None
    flags: tuple[str, ...] = ()
    reasons: tuple[ScoreReason, ...] = ()  # every deduction and bonus behind the points
    grade_zh: str = ""  # the grade in Chinese only (the published notice)
    # at the excellent quota's edge: which criterion decided (grading.TIE_CRITERIA), "total",
    # "all_tied_left_out", or "" when the grade was not decided there
    decided_by: str = ""
    correction: float = 0.0  # corrections (更正) of closed months counted in this month


@dataclass(frozen=True)
class ScoreReason:
    """One line of a score's explanation: which part, how many points, why, and the events,
    supervision's entries or complaints it rests on (e.g. `event:41`, `entry:3f2a...`)."""

    part: str
    points: float
    text: str
    day: str  # ISO date
    evidence: str


@dataclass(frozen=True)
class ScoreSection:
    """The optional scores part of a bulletin; absent until the month has been assessed."""

    windows: list[ScoreLine]
    staff: list[ScoreLine]
    closed: bool = False  # a closed (frozen) month
    note: str | None = None
    tie_rule_zh: str = ""  # the tie rule the month was graded with, as published
    tie_rule_en: str = ""
