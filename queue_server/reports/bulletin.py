"""The monthly operations bulletin (每月运行情况通报) as tables every renderer shares.

HTML, PDF, XLSX and CSV all render the same `Bulletin`: headline figures and tables whose
cells are plain values (numbers stay numbers for Excel) and whose columns say how to show
them. Staff appear by staff number (工号) only: a bulletin is circulated.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from queue_server.domain.month_measures import (
    Durations,
    MonthMeasures,
    ScoreLine,
    ScoreSection,
    YearSummary,
)
from queue_server.domain.rating import BAD, LEVEL_TEXT, REASON_TEXT, Level
from queue_server.reports.chain_head import ChainHead

Format = Literal["text", "int", "minutes", "percent", "date", "datetime", "number"]

KIND_TEXT = {
    "late": "迟到 late",
    "early_leave": "早退 early leave",
    "off_post": "脱岗 off post",
    "unattended": "窗口无人 unattended",
}
PAUSE_TEXT = {
    "break": "休息 break",
    "meeting": "会议 meeting",
    "backup_cover": "顶岗 backup cover",
    "training": "培训 training",
    "other": "其他 other",
}


@dataclass(frozen=True)
class Column:
    zh: str
    en: str
    format: Format = "text"
    # internal evidence (event sequence numbers, entry and complaint ids): kept in the XLSX
    # workbook for supervision, left out of what is published (HTML, PDF, CSV)
    internal: bool = False

    @property
    def label(self) -> str:
        return f"{self.zh} {self.en}" if self.en else self.zh


Cell = str | int | float | date | datetime | None


@dataclass(frozen=True)
class Table:
    key: str  # file and sheet name
    zh: str
    en: str
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Cell, ...]]
    note: str | None = None

    @property
    def title(self) -> str:
        return f"{self.zh} {self.en}"

    def published(self) -> Table:
        """The table without its internal evidence columns."""
        keep = [i for i, c in enumerate(self.columns) if not c.internal]
        if len(keep) == len(self.columns):
            return self
        return replace(
            self,
            columns=tuple(self.columns[i] for i in keep),
            rows=[tuple(row[i] for i in keep) for row in self.rows],
            note=None,
        )


@dataclass(frozen=True)
class Figure:
    zh: str
    en: str
    value: Cell
    format: Format


@dataclass(frozen=True)
class Bulletin:
    title: str
    subtitle: str
    period: str  # "2026-11" or "2026"
    hall_name: str
    generated_at: datetime
    figures: list[Figure]
    tables: list[Table]
    measures: MonthMeasures | None = None
    year: YearSummary | None = None
    scores: ScoreSection | None = None
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    @property
    def title_en(self) -> str:
        """The English edition's title (the subtitle, e.g. "Monthly operations bulletin
        2026-11")."""
        return self.subtitle


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def _mean(d: Durations) -> float | None:
    return _minutes(d.mean_seconds)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def format_cell(value: Cell, fmt: Format) -> str:
    """The text of a cell for HTML, PDF and CSV."""
    if value is None:
        return "-"
    if fmt == "minutes" and isinstance(value, int | float):
        return f"{value:.1f}"
    if fmt == "percent" and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    if fmt == "number" and isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def month_bulletin(
    measures: MonthMeasures,
    generated_at: datetime,
    scores: ScoreSection | None = None,
    chain_head: ChainHead | None = None,
) -> Bulletin:
    m = measures
    zone = ZoneInfo(m.timezone)

    def to_local(instant: datetime) -> datetime:
        # Wall-clock time in the hall, without a zone (Excel cannot store one).
        return instant.astimezone(zone).replace(tzinfo=None)

    reasons = _reason_counts(m)
    # The bulletin's tables in their printed order, each built by its own function below.
    tables = [
        *(score_tables(scores) if scores is not None else []),
        _services_table(m),
        _windows_table(m),
        _staff_table(m),
        _days_table(m),
        _hours_table(m),
        _waits_table(m),
        _ratings_table(m),
        *([_rating_reasons_table(reasons)] if reasons else []),
        _attendance_table(m, to_local),
        _pauses_table(m),
        _promised_table(m),
        _overdue_table(m),
        _out_of_order_table(m, to_local),
        _follow_ups_table(m),
        *([_estimates_table(m)] if m.estimates else []),
    ]
    notes = _notes(m, scores)
    if chain_head is not None:
        notes.append(f"{chain_head.zh(zone)} {chain_head.en(zone)}")
    return Bulletin(
        title=f"{m.hall_name_zh}{m.first_day.year}年{m.first_day.month}月运行情况通报",
        subtitle=f"Monthly operations bulletin {m.month}",
        period=m.month,
        hall_name=m.hall_name_zh,
        generated_at=to_local(generated_at),
        figures=_figures(m),
        tables=tables,
        measures=m,
        scores=scores,
        notes=notes,
    )


def _notes(m: MonthMeasures, scores: ScoreSection | None) -> list[str]:
    notes = [
        f"统计期间 {m.first_day:%Y-%m-%d} 至 {m.last_day:%Y-%m-%d}"
        + (f"（截至 {m.as_of:%Y-%m-%d}）" if m.as_of < m.last_day else ""),
        "等候时间自取号（预约签到）至首次叫号；办理时间自开始办理至办结。",
        "Waiting: from taking the number (or check-in) to the first call; handling: from "
        "start to finish. All figures come from the hall's event log.",
    ]
    if scores is None:
        notes.append("本月考核结果尚未生成。 Scores for the month are not available yet.")
    elif scores.tie_rule_zh:
        notes.append(
            f"优秀等次和最佳窗口名额的同分规则：{scores.tie_rule_zh}。 "
            f"Tie rule at the quotas: {scores.tie_rule_en}."
        )
    return notes


def _figures(m: MonthMeasures) -> list[Figure]:
    t = m.totals
    figures = [
        Figure("取号总量", "Numbers taken", t.issued, "int"),
        Figure("办结", "Cases finished", t.served, "int"),
        Figure("过号", "No-shows", t.no_shows, "int"),
        Figure("转办", "Transfers", t.transfers, "int"),
        Figure("平均等候(分钟)", "Mean wait (min)", _mean(t.waiting), "minutes"),
        Figure("90%等候不超过(分钟)", "P90 wait (min)", _minutes(t.waiting.p90_seconds), "minutes"),
        Figure("平均办理(分钟)", "Mean handling (min)", _mean(t.handling), "minutes"),
        Figure(
            f"{t.target_wait_minutes}分钟内叫号率",
            f"Called within {t.target_wait_minutes} min",
            t.service_level,
            "percent",
        ),
        Figure("评价数", "Ratings", t.ratings, "int"),
        Figure("满意率", "Satisfaction", t.satisfaction, "percent"),
        Figure("承诺件", "Promised cases", t.promised_cases, "int"),
        Figure("逾期承诺件", "Overdue promised cases", t.overdue_cases, "int"),
        Figure("出勤异常", "Attendance incidents", len(m.attendance), "int"),
        Figure("工作日", "Working days", m.working_days, "int"),
    ]
    if m.reporting is not None:
        figures += [
            Figure("好差评已上报", "Ratings reported to the province", m.reporting.reported, "int"),
            Figure("好差评待上报", "Ratings not yet reported", m.reporting.pending, "int"),
        ]
    return figures


def _services_table(m: MonthMeasures) -> Table:
    return Table(
        "services",
        "分事项办理情况",
        "By service",
        (
            Column("事项", "Service"),
            Column("名称", "Name"),
            Column("取号", "Issued", "int"),
            Column("转入", "Transferred in", "int"),
            Column("叫号", "Called", "int"),
            Column("办结", "Finished", "int"),
            Column("过号", "No-shows", "int"),
            Column("转出", "Transferred out", "int"),
            Column("平均等候", "Mean wait (min)", "minutes"),
            Column("P90等候", "P90 wait (min)", "minutes"),
            Column("平均办理", "Mean handling (min)", "minutes"),
            Column("目标等候", "Target wait (min)", "int"),
            Column("达标率", "Service level", "percent"),
        ),
        [
            (
                s.service,
                s.name_zh,
                s.issued,
                s.transferred_in,
                s.called,
                s.served,
                s.no_shows,
                s.transferred_out,
                _mean(s.waiting),
                _minutes(s.waiting.p90_seconds),
                _mean(s.handling),
                s.target_wait_minutes,
                s.service_level,
            )
            for s in m.services
        ],
    )


def _windows_table(m: MonthMeasures) -> Table:
    served_rank = {
        w.window: rank
        for rank, w in enumerate(sorted(m.windows, key=lambda w: (-w.served, w.window)), 1)
    }
    return Table(
        "windows",
        "分窗口办理情况",
        "By window",
        (
            Column("窗口", "Window", "int"),
            Column("名称", "Name"),
            Column("办结排名", "Rank (finished)", "int"),
            Column("叫号", "Called", "int"),
            Column("办结", "Finished", "int"),
            Column("过号", "No-shows", "int"),
            Column("重呼", "Recalls", "int"),
            Column("转出", "Transferred out", "int"),
            Column("非顺序叫号", "Out-of-order calls", "int"),
            Column("平均等候", "Mean wait (min)", "minutes"),
            Column("平均办理", "Mean handling (min)", "minutes"),
            Column("在岗天数", "Days staffed", "int"),
            Column("暂停(分)", "Paused (min)", "minutes"),
            Column("无人值守(分)", "Unattended (min)", "int"),
            Column("可用率", "Availability", "percent"),
            Column("评价", "Ratings", "int"),
            Column("不满意", "Dissatisfied", "int"),
        ),
        [
            (
                w.window,
                w.name_zh,
                served_rank[w.window],
                w.called,
                w.served,
                w.no_shows,
                w.recalls,
                w.transferred_out,
                w.out_of_order_calls,
                _mean(w.waiting),
                _mean(w.handling),
                w.days_staffed,
                w.paused_seconds / 60,
                w.unattended_minutes,
                w.availability,
                sum(w.ratings.values()),
                sum(n for level, n in w.ratings.items() if level in BAD),
            )
            for w in m.windows
        ],
    )


def _staff_table(m: MonthMeasures) -> Table:
    return Table(
        "staff",
        "工作人员",
        "Staff",
        (
            Column("工号", "Staff no."),
            Column("窗口", "Windows"),
            Column("出勤天数", "Days", "int"),
            Column("叫号", "Called", "int"),
            Column("办结", "Finished", "int"),
            Column("过号", "No-shows", "int"),
            Column("平均办理", "Mean handling (min)", "minutes"),
            Column("迟到", "Late", "int"),
            Column("早退", "Early leave", "int"),
            Column("脱岗", "Off post", "int"),
            Column("暂停(分)", "Paused (min)", "minutes"),
            Column("评价", "Ratings", "int"),
            Column("不满意", "Dissatisfied", "int"),
        ),
        [
            (
                s.staff_no,
                ",".join(str(w) for w in s.windows),
                s.days_worked,
                s.called,
                s.served,
                s.no_shows,
                _mean(s.handling),
                s.late,
                s.early_leave,
                s.off_post,
                s.paused_seconds / 60,
                sum(s.ratings.values()),
                sum(n for level, n in s.ratings.items() if level in BAD),
            )
            for s in m.staff
        ],
    )


def _days_table(m: MonthMeasures) -> Table:
    return Table(
        "days",
        "每日业务量",
        "By day",
        (
            Column("日期", "Day", "date"),
            Column("取号", "Issued", "int"),
            Column("办结", "Finished", "int"),
            Column("过号", "No-shows", "int"),
            Column("取消", "Cancelled", "int"),
            Column("平均等候", "Mean wait (min)", "minutes"),
        ),
        [
            (d.day, d.issued, d.served, d.no_shows, d.cancelled, _minutes(d.mean_wait_seconds))
            for d in m.days
        ],
    )


def _hours_table(m: MonthMeasures) -> Table:
    return Table(
        "hours",
        "分时段业务量",
        "By hour",
        (
            Column("时段", "Hour"),
            Column("取号", "Issued", "int"),
            Column("叫号", "Called", "int"),
            Column("办结", "Finished", "int"),
        ),
        [(f"{h.hour:02d}:00", h.issued, h.called, h.served) for h in m.hours],
    )


def _waits_table(m: MonthMeasures) -> Table:
    t = m.totals
    return Table(
        "waits",
        "等候时长分布",
        "Waiting-time distribution",
        (
            Column("等候(分钟)", "Wait (min)"),
            Column("人数", "Visitors", "int"),
            Column("占比", "Share", "percent"),
        ),
        [(b.label, b.count, _share(b.count, t.waiting.count)) for b in m.waiting_distribution],
    )


def _ratings_table(m: MonthMeasures) -> Table:
    t = m.totals
    return Table(
        "ratings",
        "满意度评价",
        "Ratings",
        (
            Column("等级", "Level"),
            Column("人数", "Count", "int"),
            Column("占比", "Share", "percent"),
        ),
        [
            (
                f"{LEVEL_TEXT[level][0]} {LEVEL_TEXT[level][1]}",
                count := sum(1 for r in m.ratings if r.level == level.value),
                _share(count, t.ratings),
            )
            for level in Level
        ],
    )


def _rating_reasons_table(reasons: list[tuple[Cell, ...]]) -> Table:
    return Table(
        "rating_reasons",
        "不满意原因",
        "Reasons given",
        (Column("原因", "Reason"), Column("次数", "Times", "int")),
        reasons,
    )


def _attendance_table(m: MonthMeasures, to_local: Callable[[datetime], datetime]) -> Table:
    return Table(
        "attendance",
        "考勤情况",
        "Attendance",
        (
            Column("日期", "Day", "date"),
            Column("窗口", "Window", "int"),
            Column("工号", "Staff no."),
            Column("类型", "Kind"),
            Column("分钟", "Minutes", "int"),
            Column("说明", "Detail"),
            Column("事件", "Events", internal=True),
        ),
        [
            (
                i.day,
                i.window,
                i.staff_no,
                KIND_TEXT[i.kind],
                i.minutes,
                _stretch(i.start, i.end, to_local)
                + (f" {PAUSE_TEXT.get(i.reason, i.reason)}" if i.reason else ""),
                _seqs(i.event_seqs),
            )
            for i in m.attendance
        ],
    )


def _pauses_table(m: MonthMeasures) -> Table:
    return Table(
        "pauses",
        "暂停服务",
        "Pauses",
        (
            Column("窗口", "Window", "int"),
            Column("工号", "Staff no."),
            Column("原因", "Reason"),
            Column("次数", "Times", "int"),
            Column("分钟", "Minutes", "minutes"),
        ),
        [
            (p.window, p.staff_no, PAUSE_TEXT.get(p.reason, p.reason), p.count, p.seconds / 60)
            for p in m.pauses
        ],
    )


def _promised_table(m: MonthMeasures) -> Table:
    return Table(
        "promised",
        "承诺件办理",
        "Promised cases",
        (
            Column("号码", "Number"),
            Column("事项", "Service"),
            Column("窗口", "Window", "int"),
            Column("工号", "Staff no."),
            Column("受理日", "Finished at window", "date"),
            Column("承诺期限", "Deadline", "date"),
            Column("办结日", "Concluded", "date"),
            Column("提前工作日", "Working days ahead", "int"),
            Column("事件", "Events", internal=True),
        ),
        [
            (
                c.number,
                c.service,
                c.window,
                c.staff_no,
                c.finished_on,
                c.deadline,
                c.concluded_on,
                c.working_days_ahead,
                _seqs(c.event_seqs),
            )
            for c in m.promised_cases
        ],
    )


def _overdue_table(m: MonthMeasures) -> Table:
    return Table(
        "overdue",
        "逾期承诺件",
        "Overdue promised cases",
        (
            Column("号码", "Number"),
            Column("事项", "Service"),
            Column("窗口", "Window", "int"),
            Column("工号", "Staff no."),
            Column("承诺期限", "Deadline", "date"),
            Column("办结日", "Concluded", "date"),
            Column("本月逾期工作日", "Overdue working days (month)", "int"),
            Column("累计逾期工作日", "Overdue working days (total)", "int"),
            Column("事件", "Events", internal=True),
        ),
        [
            (
                c.number,
                c.service,
                c.window,
                c.staff_no,
                c.deadline,
                c.concluded_on,
                c.overdue_working_days,
                c.total_overdue_working_days,
                _seqs(c.event_seqs),
            )
            for c in m.overdue_cases
        ],
    )


def _out_of_order_table(m: MonthMeasures, to_local: Callable[[datetime], datetime]) -> Table:
    return Table(
        "out_of_order",
        "非顺序叫号",
        "Out-of-order calls",
        (
            Column("时间", "At", "datetime"),
            Column("号码", "Number"),
            Column("事项", "Service"),
            Column("窗口", "Window", "int"),
            Column("工号", "Staff no."),
            Column("理由", "Reason"),
            Column("事件", "Event", "int", internal=True),
        ),
        [
            (to_local(o.at), o.number, o.service, o.window, o.staff_no, o.reason, o.event_seq)
            for o in m.out_of_order
        ],
    )


def _follow_ups_table(m: MonthMeasures) -> Table:
    return Table(
        "follow_ups",
        "差评回访",
        "Bad-rating follow-ups",
        (
            Column("评价日", "Rated", "date"),
            Column("窗口", "Window", "int"),
            Column("工号", "Staff no."),
            Column("回访期限", "Deadline", "date"),
            Column("状态", "State"),
            Column("办结日", "Closed", "date"),
            Column("逾期", "Overdue"),
        ),
        [
            (
                f.opened_on,
                f.window,
                f.staff_no,
                f.deadline,
                "已办结 closed" if f.state == "closed" else "办理中 open",
                f.closed_on,
                "是 yes" if f.overdue else "否 no",
            )
            for f in m.follow_ups
        ],
    )


def _estimates_table(m: MonthMeasures) -> Table:
    names = {s.service: s.name_zh for s in m.services}
    return Table(
        "estimates",
        "等候时间预估准确度",
        "Accuracy of wait estimates",
        (
            Column("事项", "Service"),
            Column("名称", "Name"),
            Column("叫号", "Called", "int"),
            Column("落在预估区间内", "Called inside the range", "percent"),
            Column("中点误差中位数", "Median error of the midpoint (min)", "number"),
            Column("区间宽度中位数", "Median width of the range (min)", "number"),
        ),
        [
            (
                e.service or "合计",
                names.get(e.service, "全部事项" if not e.service else e.service),
                e.called,
                e.coverage,
                e.median_error_minutes,
                e.median_width_minutes,
            )
            for e in m.estimates
        ],
        note="取号时告知的预计等候区间与实际等候（取号至首次叫号）的比较。 The range "
        "each visitor was told at issue against the real wait to the first call.",
    )


def score_tables(scores: ScoreSection) -> list[Table]:
    parts_w = _part_names(scores.windows)
    parts_s = _part_names(scores.staff)
    # 最佳窗口's own five-part score (absent from months stored before it existed)
    best_points = any(line.best_window_points is not None for line in scores.windows)
    return [
        Table(
            "window_scores",
            "窗口考核",
            "Window scores",
            (
                Column("名次", "Rank", "int"),
                Column("窗口", "Window"),
                Column("得分", "Points", "number"),
                Column("等次", "Grade"),
                *(Column(p, "", "number") for p in parts_w),
                *((Column("最佳窗口得分", "Best-window points", "number"),) if best_points else ()),
                Column("最佳窗口", "Best window"),
                Column("等次说明", "How the grade was decided"),
            ),
            [
                _score_row(line, parts_w, best=True, best_points=best_points)
                for line in scores.windows
            ],
        ),
        Table(
            "staff_scores",
            "工作人员考核",
            "Staff scores",
            (
                Column("名次", "Rank", "int"),
                Column("工号", "Staff no."),
                Column("得分", "Points", "number"),
                Column("等次", "Grade"),
                *(Column(p, "", "number") for p in parts_s),
                Column("提示", "Flags"),
                Column("等次说明", "How the grade was decided"),
            ),
            [_score_row(line, parts_s, best=False) for line in scores.staff],
        ),
        Table(
            "score_reasons",
            "扣分加分明细",
            "Why each score is what it is",
            (
                Column("对象", "Subject"),
                Column("编号", "Window / staff no."),
                Column("部分", "Part"),
                Column("分值", "Points", "number"),
                Column("说明", "Reason"),
                Column("日期", "Day"),
                Column("依据", "Evidence", internal=True),
            ),
            [
                (
                    "窗口 window" if line.subject == "window" else "工作人员 staff",
                    line.key,
                    reason.part,
                    reason.points,
                    reason.text,
                    reason.day,
                    reason.evidence,
                )
                for line in [*scores.windows, *scores.staff]
                for reason in line.reasons
            ],
            note="依据: event = 事件日志序号 sequence number of the event log; entry = 督查录入 "
            "supervision's entry; complaint = 投诉登记 the complaints register.",
        ),
    ]


def _part_names(lines: list[ScoreLine]) -> list[str]:
    names: list[str] = []
    for line in lines:
        for name in line.parts:
            if name not in names:
                names.append(name)
    return names


def _score_row(
    line: ScoreLine, parts: list[str], *, best: bool, best_points: bool = False
) -> tuple[Cell, ...]:
    last: Cell = ("★ 最佳窗口" if line.best_window else "") if best else "; ".join(line.flags)
    return (
        line.rank,
        line.label,
        line.points,
        line.grade,
        *(line.parts.get(p) for p in parts),
        *((line.best_window_points,) if best_points else ()),
        last,
        decided_text(line.decided_by),
    )


def decided_text(decided_by: str) -> str:
    """Why a grade at the excellent quota's edge is what it is, by the month's tie rule."""
    from queue_server.domain.assessment.grading import ALL_TIED_OUT, TIE_CRITERIA

    if decided_by == ALL_TIED_OUT:
        return "同分且按同分规则无法区分，均不占优秀名额 tied on every criterion, all left out"
    criterion = TIE_CRITERIA.get(decided_by)
    if criterion is not None:
        return f"同分，按“{criterion.zh}”确定 tie broken by {criterion.en}"
    return ""


def year_bulletin(summary: YearSummary, generated_at: datetime) -> Bulletin:
    y = summary.totals
    figures = [
        Figure("取号总量", "Numbers taken", y.issued, "int"),
        Figure("办结", "Cases finished", y.served, "int"),
        Figure("过号", "No-shows", y.no_shows, "int"),
        Figure("平均等候(分钟)", "Mean wait (min)", _minutes(y.mean_wait_seconds), "minutes"),
        Figure(
            "平均办理(分钟)", "Mean handling (min)", _minutes(y.mean_handling_seconds), "minutes"
        ),
        Figure("叫号达标率", "Service level", y.service_level, "percent"),
        Figure("满意率", "Satisfaction", y.satisfaction, "percent"),
        Figure("逾期承诺件", "Overdue promised cases", y.overdue_cases, "int"),
        Figure("出勤异常", "Attendance incidents", y.attendance_incidents, "int"),
    ]
    columns = (
        Column("月份", "Month"),
        Column("取号", "Issued", "int"),
        Column("办结", "Finished", "int"),
        Column("过号", "No-shows", "int"),
        Column("平均等候", "Mean wait (min)", "minutes"),
        Column("平均办理", "Mean handling (min)", "minutes"),
        Column("达标率", "Service level", "percent"),
        Column("满意率", "Satisfaction", "percent"),
        Column("评价", "Ratings", "int"),
        Column("逾期承诺件", "Overdue cases", "int"),
        Column("出勤异常", "Attendance incidents", "int"),
    )
    rows = [
        (
            line.month,
            line.issued,
            line.served,
            line.no_shows,
            _minutes(line.mean_wait_seconds),
            _minutes(line.mean_handling_seconds),
            line.service_level,
            line.satisfaction,
            line.ratings,
            line.overdue_cases,
            line.attendance_incidents,
        )
        for line in [*summary.months, y]
    ]
    tables = [
        Table("months", "分月汇总", "By month", columns, rows),
        Table(
            "windows",
            "分窗口办结量",
            "Finished by window",
            (Column("窗口", "Window", "int"), Column("办结", "Finished", "int")),
            list(summary.window_served.items()),
        ),
        Table(
            "services",
            "分事项办结量",
            "Finished by service",
            (Column("事项", "Service"), Column("办结", "Finished", "int")),
            list(summary.service_served.items()),
        ),
    ]
    return Bulletin(
        title=f"{summary.hall_name_zh}{summary.year}年度运行情况汇总",
        subtitle=f"Yearly summary {summary.year}",
        period=str(summary.year),
        hall_name=summary.hall_name_zh,
        generated_at=generated_at,
        figures=figures,
        tables=tables,
        year=summary,
        notes=["年度汇总由各月统计相加得出。 The yearly summary adds up the months."],
    )


def _seqs(seqs: tuple[int, ...]) -> str:
    return " ".join(f"#{s}" for s in seqs)


def _stretch(
    start: datetime | None, end: datetime | None, to_local: Callable[[datetime], datetime]
) -> str:
    if start is None or end is None:
        return ""
    return f"{to_local(start):%H:%M}-{to_local(end):%H:%M}"


def _reason_counts(m: MonthMeasures) -> list[tuple[Cell, ...]]:
    counts: dict[str, int] = {}
    for rating in m.ratings:
        for reason in rating.reasons:
            counts[reason] = counts.get(reason, 0) + 1
    return [
        (" ".join(REASON_TEXT.get(code, (code, ""))), counts[code])
        for code in sorted(counts, key=lambda c: -counts[c])
    ]
