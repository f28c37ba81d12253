"""The monthly bulletin as published: a government notice (通报), Chinese edition.

Laid out after GB/T 9704-2012 (党政机关公文格式) by `notice_pdf`: issuing body and document
number in the header, title, main recipients, a body written from the month's figures
(volume, timeliness, satisfaction and their change against last month, the honour roll 红榜,
the problems found with the windows concerned), the attached tables (Chinese headers only,
no internal evidence ids), the issuing body and the date at the end.

Everything here is Chinese: the English edition is a separate document (`pdf.render_pdf` with
`edition="en"`), never mixed into this one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from queue_server.domain.assessment.grading import TIE_CRITERIA
from queue_server.domain.month_measures import MonthMeasures, ScoreLine, ScoreSection
from queue_server.reports.bulletin import Cell, Format
from queue_server.reports.chain_head import ChainHead

ATTENDANCE_ZH = {
    "late": "迟到",
    "early_leave": "早退",
    "off_post": "脱岗",
    "unattended": "窗口无人",
}
CRITERION_ZH = {name: c.zh for name, c in TIE_CRITERIA.items()}
CN_ORDINALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class NoticeSettings:
    """From the hall's `[assessment.bulletin]` section and the command line."""

    issuer: str  # 发文机关, e.g. 示范区政务服务中心
    doc_code: str  # 发文机关代字, e.g. 示政服通
    number: int  # 发文顺序号 within the year
    recipients: str  # 主送机关
    issued_on: date  # 成文日期

    @property
    def document_number(self) -> str:
        """发文字号, e.g. 示政服通〔2026〕12号 (GB/T 9704: 六角括号, no leading zeros)."""
        return f"{self.doc_code}〔{self.issued_on.year}〕{self.number}号"


@dataclass(frozen=True)
class AnnexColumn:
    name: str
    format: Format = "text"


@dataclass(frozen=True)
class Annex:
    title: str
    columns: tuple[AnnexColumn, ...]
    rows: list[tuple[Cell, ...]]


@dataclass(frozen=True)
class Section:
    heading: str  # 一、总体运行情况
    paragraphs: list[str]


@dataclass(frozen=True)
class Notice:
    issuer: str
    document_number: str
    title: str
    recipients: str
    opening: str
    sections: list[Section]
    closing: str  # 特此通报。
    annexes: list[Annex]
    issued_on: date

    @property
    def date_text(self) -> str:
        return f"{self.issued_on.year}年{self.issued_on.month}月{self.issued_on.day}日"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}分钟"


def _change(now: float | None, before: float | None, *, share: bool) -> str:
    """，较上月 …: a count's change in per cent, a share's in percentage points; nothing when
    there is nothing to compare with (the overview says so once)."""
    if now is None or before is None:
        return ""
    return "，" + _compared(now, before, share=share)


def _compared(now: float, before: float, *, share: bool) -> str:
    if share:
        points = (now - before) * 100
        if abs(points) < 0.05:
            return "与上月持平"
        return f"较上月{'上升' if points > 0 else '下降'}{abs(points):.1f}个百分点"
    if not before:
        return "上月无可比数据"
    change = (now - before) / before * 100
    if abs(change) < 0.05:
        return "与上月持平"
    return f"较上月{'增长' if change > 0 else '下降'}{abs(change):.1f}%"


def _window_name(measures: MonthMeasures, number: int) -> str:
    found = measures.window(number)
    return found.name_zh if found is not None and found.name_zh else f"{number}号窗口"


def _on_time_share(measures: MonthMeasures) -> float | None:
    cases = measures.totals.promised_cases
    if not cases:
        return None
    late = {c.ticket_id for c in measures.overdue_cases}
    finished_late = sum(1 for c in measures.promised_cases if c.ticket_id in late)
    return (cases - finished_late) / cases


def _overview(m: MonthMeasures, before: MonthMeasures | None) -> Section:
    t, b = m.totals, (before.totals if before is not None else None)
    volume = (
        f"本月共有工作日{m.working_days}天，大厅取号{t.issued}人次，办结{t.served}件"
        f"{_change(t.served, b.served if b and b.served else None, share=False)}；"
        f"过号{t.no_shows}人次，转办{t.transfers}件。"
    )
    waiting = (
        f"群众平均等候{_minutes(t.waiting.mean_seconds)}，"
        f"{t.target_wait_minutes}分钟内叫号率{_pct(t.service_level)}"
        f"{_change(t.service_level, b.service_level if b else None, share=True)}；"
        f"平均办理{_minutes(t.handling.mean_seconds)}。"
    )
    on_time = _on_time_share(m)
    promised = (
        f"受理承诺件{t.promised_cases}件，按时办结率{_pct(on_time)}，"
        f"本月有逾期承诺件{t.overdue_cases}件。"
        if t.promised_cases or t.overdue_cases
        else "本月无承诺件。"
    )
    satisfaction = (
        f"收到服务评价{t.ratings}条，满意率{_pct(t.satisfaction)}"
        f"{_change(t.satisfaction, b.satisfaction if b else None, share=True)}；"
        f"不满意评价{t.dissatisfied}条。"
        if t.ratings
        else "本月未收到服务评价。"
    )
    paragraphs = [volume + waiting, promised + satisfaction]
    if b is None or not b.issued:
        paragraphs.append("上月无运行数据，本期不作环比。")
    return Section("一、总体运行情况", paragraphs)


def _honour_roll(scores: ScoreSection | None, m: MonthMeasures) -> Section:
    if scores is None:
        return Section("二、红榜", ["本月考核尚未进行，红榜待考核结果确定后另行通报。"])
    best = [line for line in scores.windows if line.best_window]
    excellent_windows = [line for line in scores.windows if line.grade_zh == "优秀"]
    excellent_staff = [line for line in scores.staff if line.grade_zh == "优秀"]
    paragraphs = []
    if best:
        names = "、".join(
            _window_name(m, int(line.key))
            + (f"（最佳窗口评分{line.best_window_points:g}分）" if line.best_window_points else "")
            for line in best
        )
        paragraphs.append(f"经考核，{names}被评为本月“最佳窗口”。")
    else:
        paragraphs.append("本月没有窗口达到“最佳窗口”评选标准，本月不评“最佳窗口”。")
    if excellent_windows:
        paragraphs.append(
            "考核等次为优秀的窗口："
            + "、".join(_window_name(m, int(line.key)) for line in excellent_windows)
            + "。"
        )
    if excellent_staff:
        paragraphs.append(
            "考核等次为优秀的工作人员（工号）："
            + "、".join(line.key for line in excellent_staff)
            + "。"
        )
    else:
        paragraphs.append("本月没有工作人员评为优秀等次。")
    rule = scores.tie_rule_zh or "同分者均不占名额"
    edge = _quota_edge(scores, m)
    paragraphs.append(f"优秀等次名额按比例控制，{rule}。" + edge)
    return Section("二、红榜", paragraphs)


def _quota_edge(scores: ScoreSection, m: MonthMeasures) -> str:
    """Which criterion decided the grades at the excellent quota's edge, in words."""
    said = []
    for lines, what, name in (
        (scores.windows, "窗口", lambda x: _window_name(m, int(x.key))),
        (scores.staff, "工作人员", lambda x: x.key),
    ):
        tied_out = [x for x in lines if x.decided_by == "all_tied_left_out"]
        by_rule = [x for x in lines if x.decided_by in CRITERION_ZH]
        if tied_out:
            points = f"{tied_out[0].points:g}"
            said.append(
                f"{'、'.join(name(x) for x in tied_out)}等{len(tied_out)}个{what}同为{points}分"
                "且按同分规则仍无法区分，均不占优秀名额，按下一等次确定"
            )
        if by_rule:
            chosen = [x for x in by_rule if x.grade_zh == "优秀"]
            criterion = CRITERION_ZH[by_rule[0].decided_by]
            if chosen:
                said.append(
                    f"{what}中{'、'.join(name(x) for x in chosen)}与同分者按“{criterion}”确定为优秀"
                )
    return ("本月" + "；".join(said) + "。") if said else ""


def _problems(m: MonthMeasures, scores: ScoreSection | None) -> Section:
    items: list[str] = []
    overdue: Counter[int] = Counter(c.window for c in m.overdue_cases)
    days: Counter[int] = Counter()
    for case in m.overdue_cases:
        days[case.window] += case.overdue_working_days
    if overdue:
        listed = "、".join(
            f"{_window_name(m, w)}{n}件（{days[w]}个工作日）" for w, n in sorted(overdue.items())
        )
        items.append(f"承诺件逾期办结：{listed}。")
    by_kind: dict[str, Counter[int]] = {}
    for incident in m.attendance:
        by_kind.setdefault(incident.kind, Counter())[incident.window] += 1
    for kind in ("late", "early_leave", "off_post", "unattended"):
        counted = by_kind.get(kind)
        if counted:
            listed = "、".join(f"{_window_name(m, w)}{n}次" for w, n in sorted(counted.items()))
            items.append(f"{ATTENDANCE_ZH[kind]}：{listed}。")
    bad: Counter[int] = Counter(r.window for r in m.ratings if r.dissatisfied and r.window)
    if bad:
        listed = "、".join(f"{_window_name(m, w)}{n}条" for w, n in sorted(bad.items()))
        items.append(f"群众不满意评价：{listed}。")
    follow_late = [f for f in m.follow_ups if f.overdue]
    if follow_late:
        items.append(f"不满意评价回访超期{len(follow_late)}件。")
    if scores is not None:
        low = [x for x in scores.windows if x.grade_zh in ("合格", "不合格")]
        if low:
            items.append(
                "考核等次为合格及以下的窗口："
                + "、".join(
                    f"{_window_name(m, int(x.key))}（{x.points:g}分，{x.grade_zh}）" for x in low
                )
                + "。"
            )
        flagged = [x for x in scores.staff if x.flags]
        if flagged:
            # the flags' Chinese half ("两次投诉属实 two upheld ..." -> "两次投诉属实")
            items.append(
                "按规定应考虑调离的工作人员（工号）："
                + "、".join(
                    f"{x.key}（{'、'.join(f.split(' ')[0] for f in x.flags)}）" for x in flagged
                )
                + "。"
            )
        weak = [x for x in scores.staff if x.grade_zh in ("基本称职", "不称职")]
        if weak:
            items.append(
                "考核等次为基本称职及以下的工作人员（工号）："
                + "、".join(f"{x.key}（{x.points:g}分，{x.grade_zh}）" for x in weak)
                + "。"
            )
    if not items:
        return Section("三、存在的问题", ["本月未发现承诺件逾期、考勤异常或群众不满意评价。"])
    numbered = [f"（{CN_ORDINALS[i]}）{text}" for i, text in enumerate(items[:10])]
    return Section("三、存在的问题", numbered)


def _requirements(has_problems: bool) -> Section:
    text = (
        "请上述窗口及所在部门对照存在的问题认真整改，整改情况于下月5个工作日内报中心督查股。"
        if has_problems
        else "请各窗口保持良好服务状态，严格执行首问负责、一次性告知和限时办结等制度。"
    )
    return Section("四、工作要求", [text])


def _annexes(m: MonthMeasures, scores: ScoreSection | None) -> list[Annex]:
    annexes = []
    if scores is not None:
        window_parts = _parts(scores.windows)
        staff_parts = _parts(scores.staff)
        annexes.append(
            Annex(
                f"{m.month[:4]}年{int(m.month[5:])}月窗口考核结果",
                (
                    AnnexColumn("名次", "int"),
                    AnnexColumn("窗口"),
                    AnnexColumn("得分", "number"),
                    AnnexColumn("等次"),
                    *(AnnexColumn(p, "number") for p in window_parts),
                    AnnexColumn("最佳窗口"),
                ),
                [
                    (
                        x.rank,
                        _window_name(m, int(x.key)),
                        x.points,
                        x.grade_zh,
                        *(x.parts.get(p) for p in window_parts),
                        "是" if x.best_window else "",
                    )
                    for x in scores.windows
                ],
            )
        )
        annexes.append(
            Annex(
                f"{m.month[:4]}年{int(m.month[5:])}月工作人员考核结果",
                (
                    AnnexColumn("名次", "int"),
                    AnnexColumn("工号"),
                    AnnexColumn("得分", "number"),
                    AnnexColumn("等次"),
                    *(AnnexColumn(p, "number") for p in staff_parts),
                ),
                [
                    (x.rank, x.key, x.points, x.grade_zh, *(x.parts.get(p) for p in staff_parts))
                    for x in scores.staff
                ],
            )
        )
    annexes.append(
        Annex(
            "分窗口办理情况",
            (
                AnnexColumn("窗口"),
                AnnexColumn("办结", "int"),
                AnnexColumn("过号", "int"),
                AnnexColumn("平均办理（分钟）", "minutes"),
                AnnexColumn("逾期承诺件", "int"),
                AnnexColumn("在岗天数", "int"),
            ),
            [
                (
                    w.name_zh or f"{w.window}号窗口",
                    w.served,
                    w.no_shows,
                    None if w.handling.mean_seconds is None else w.handling.mean_seconds / 60,
                    sum(1 for c in m.overdue_cases if c.window == w.window),
                    w.days_staffed,
                )
                for w in m.windows
            ],
        )
    )
    if m.overdue_cases:
        annexes.append(
            Annex(
                "逾期承诺件清单",
                (
                    AnnexColumn("窗口"),
                    AnnexColumn("号码"),
                    AnnexColumn("承诺期限", "date"),
                    AnnexColumn("办结日期", "date"),
                    AnnexColumn("本月逾期工作日", "int"),
                ),
                [
                    (
                        _window_name(m, c.window),
                        c.number,
                        c.deadline,
                        c.concluded_on if c.concluded_on is not None else "未办结",
                        c.overdue_working_days,
                    )
                    for c in m.overdue_cases
                ],
            )
        )
    return annexes


def _parts(lines: list[ScoreLine]) -> list[str]:
    names: list[str] = []
    for line in lines:
        names.extend(p for p in line.parts if p not in names)
    return names


def month_notice(
    measures: MonthMeasures,
    settings: NoticeSettings,
    scores: ScoreSection | None = None,
    previous: MonthMeasures | None = None,
    chain_head: ChainHead | None = None,
) -> Notice:
    m = measures
    year, month = m.month[:4], int(m.month[5:])
    problems = _problems(m, scores)
    has_problems = not problems.paragraphs[0].startswith("本月未发现")
    sections = [
        _overview(m, previous),
        _honour_roll(scores, m),
        problems,
        _requirements(has_problems),
    ]
    if chain_head is not None:
        sections.append(Section("五、运行日志校验", [chain_head.zh(ZoneInfo(m.timezone))]))
    state = "" if scores is None or scores.closed else "（本月考核尚未关账，结果以关账后为准）"
    return Notice(
        issuer=settings.issuer,
        document_number=settings.document_number,
        title=f"关于{year}年{month}月运行情况的通报",
        recipients=f"{settings.recipients}：",
        opening=(
            f"为加强大厅管理、提升服务效能，根据大厅考核办法，现将{year}年{month}月"
            f"运行情况及考核结果{state}通报如下。"
        ),
        sections=sections,
        closing="特此通报。",
        annexes=_annexes(m, scores),
        issued_on=settings.issued_on,
    )
