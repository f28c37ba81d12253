"""The bulletin's scores section from the monthly assessment, when the month was assessed.

The assessment (queue_server/services/assessment.py) stores a month's result; the bulletin only
reads it (`month_result`), never computes it, so it shows what supervision ran or closed.
"""

from __future__ import annotations

from typing import Any, Literal

from queue_server.domain.clock import Clock
from queue_server.domain.month_measures import ScoreLine, ScoreReason, ScoreSection
from queue_server.services.database import Database
from queue_server.services.halls import HallRegistry

# A line resting on a month of promised cases names hundreds of events; the bulletin shows the
# first ones, the assessment itself keeps them all.
EVIDENCE_SHOWN = 12


def load_scores(
    db: Database, halls: HallRegistry, clock: Clock, hall_id: str, month: str
) -> ScoreSection | None:
    from queue_server.services.assessment import AssessmentService  # it reads the reports

    record = AssessmentService(db, halls, clock).month_result(hall_id, month)
    if record is None:
        return None
    names = {str(w.number): w.name.zh for w in halls.get(hall_id).config.windows}
    return score_section(record, names)


def score_section(record: Any, window_names: dict[str, str]) -> ScoreSection:
    """From an assessment `MonthRecord` (duck-typed: the bulletin depends on its shape only
    here)."""
    from queue_server.domain.assessment.grading import TieRule
    from queue_server.domain.assessment.rules import GRADE_ZH, PART_ZH, WINDOW_PART_ZH

    result = record.result
    best = {str(n) for n in result.best_windows}
    # 最佳窗口's own scores; months stored before they existed have none
    best_scores = {b.subject: b for b in result.best_window_scores}
    flags: dict[str, list[str]] = {}
    for flag in result.flags:
        flags.setdefault(flag.staff_no, []).append(flag.text)

    # the rule the month was graded with, as frozen with it (older months: the one rule then)
    tie = TieRule(tuple((getattr(record, "rules", None) or {}).get("tie_break", ("deducted",))))

    def line(graded: Any, subject: Literal["window", "staff"]) -> ScoreLine:
        key = graded.score.subject
        own = best_scores.get(key) if subject == "window" else None
        names = WINDOW_PART_ZH if subject == "window" else PART_ZH
        label = f"{key} {window_names.get(key, '')}".strip() if subject == "window" else key
        return ScoreLine(
            subject=subject,
            key=key,
            label=label,
            points=float(graded.score.total),
            grade=f"{GRADE_ZH.get(graded.grade, graded.grade)} {graded.grade}",
            rank=int(graded.rank),
            # published with the Chinese part names (德 能 勤 绩 廉 / 服务质量 廉洁 纪律)
            parts={names.get(p.name, p.name): float(p.score) for p in graded.score.parts}
            | ({PART_ZH["bonus"]: float(graded.score.bonus)} if graded.score.bonus else {})
            | ({"更正": float(graded.score.correction)} if graded.score.correction else {}),
            best_window=key in best,
            best_window_points=float(own.total) if own is not None else None,
            flags=tuple(flags.get(key, ())),
            reasons=_reasons(graded.score, own, names),
            grade_zh=GRADE_ZH.get(graded.grade, graded.grade),
            decided_by=graded.decided_by,
            correction=float(graded.score.correction),
        )

    return ScoreSection(
        windows=sorted((line(g, "window") for g in result.windows), key=lambda s: s.rank),
        staff=sorted((line(g, "staff") for g in result.staff), key=lambda s: s.rank),
        closed=bool(record.closed),
        note=None if record.closed else "本月考核尚未关闭，结果可能变动。 The month is still open.",
        tie_rule_zh=tie.describe(),
        tie_rule_en=tie.describe_en(),
    )


def _reasons(score: Any, best_window: Any | None, names: dict[str, str]) -> tuple[ScoreReason, ...]:
    """The lines of the score's parts and bonuses, then (windows) of the best-window parts,
    whose part names are marked so they are not mistaken for the window score's."""

    def reason(line: Any, part: str) -> ScoreReason:
        refs = [str(ref) for ref in line.refs]
        evidence = "; ".join(refs[:EVIDENCE_SHOWN])
        if len(refs) > EVIDENCE_SHOWN:
            evidence += f"; … (+{len(refs) - EVIDENCE_SHOWN}: hallq assess show --explain)"
        return ScoreReason(part, float(line.points), line.text, line.day, evidence)

    from queue_server.domain.assessment.rules import BEST_WINDOW_PART_ZH

    lines = [reason(x, names.get(x.part, x.part)) for p in score.parts for x in p.lines]
    lines += [reason(x, names["bonus"]) for x in score.bonus_lines]
    lines += [reason(x, "更正") for x in score.correction_lines]
    if best_window is not None:
        lines += [reason(x, f"最佳窗口·{BEST_WINDOW_PART_ZH.get(p.name, p.name)}")
                  for p in best_window.parts for x in p.lines]  # fmt: skip
    return tuple(lines)
