"""One month's assessment, from its facts to graded, explained results (and back from JSON)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from queue_server.domain.assessment.best_window import BestWindowScore, score_best_windows
from queue_server.domain.assessment.facts import Fact, PromisedCaseFact, Ref, RefKind
from queue_server.domain.assessment.flags import (
    Decision,
    Flag,
    complaints_in_a_row,
    incompetent_twice,
)
from queue_server.domain.assessment.grading import (
    Graded,
    Measured,
    TieRule,
    best_windows,
    grade_all,
)
from queue_server.domain.assessment.rules import ScoringRules
from queue_server.domain.assessment.scoring import Line, Part, Score, score_staff, score_window
from queue_server.domain.months import month_bounds, previous_month


@dataclass(frozen=True)
class MonthInput:
    hall: str
    month: str
    staff: Sequence[str]  # staff numbers to assess (anyone a fact names is added)
    windows: Sequence[int]
    facts: Sequence[Fact]
    decisions: Mapping[str, Sequence[Decision]] = field(default_factory=dict)
    previous_grades: Mapping[str, str] = field(default_factory=dict)
    # for the best window: finished visits per window, promised cases finished in the month
    volumes: Mapping[int, int] = field(default_factory=dict)
    promised: Sequence[PromisedCaseFact] = ()
    # for the tie rule: subject (staff number / window number as text) -> criterion -> value
    # (bad_ratings, satisfaction, volume; "deducted" is read off the score)
    staff_measured: Measured = field(default_factory=dict)
    window_measured: Measured = field(default_factory=dict)


@dataclass(frozen=True)
class MonthResult:
    hall: str
    month: str
    staff: tuple[Graded, ...]
    windows: tuple[Graded, ...]
    best_windows: tuple[int, ...]
    flags: tuple[Flag, ...]
    # 最佳窗口's own five-part score per window (empty in months stored before it existed,
    # whose best windows were chosen on the window score)
    best_window_scores: tuple[BestWindowScore, ...] = ()

    def best_window_score(self, number: int) -> BestWindowScore | None:
        return next((b for b in self.best_window_scores if b.subject == str(number)), None)

    def staff_member(self, staff_no: str) -> Graded:
        return next(g for g in self.staff if g.score.subject == staff_no)

    def window(self, number: int) -> Graded:
        return next(g for g in self.windows if g.score.subject == str(number))


def assess_month(rules: ScoringRules, given: MonthInput) -> MonthResult:
    first, last = month_bounds(given.month)
    facts = [f for f in given.facts if first <= f.day <= last]
    staff = sorted(set(given.staff) | {f.staff_no for f in facts if f.staff_no})
    windows = sorted(set(given.windows) | {f.window for f in facts if f.window is not None})
    # Each subject's facts picked out once (a busy month has thousands of facts and dozens
    # of subjects); every kind is still checked against the rules as scoring all would.
    if staff or windows:
        for kind in {f.kind for f in facts}:
            rules.kind(kind)
    by_staff: dict[str, list[Fact]] = {}
    by_window: dict[int, list[Fact]] = {}
    for fact in facts:
        if fact.staff_no is not None:
            by_staff.setdefault(fact.staff_no, []).append(fact)
        if fact.window is not None:
            by_window.setdefault(fact.window, []).append(fact)
    staff_scores = [score_staff(s, by_staff.get(s, ()), rules) for s in staff]
    window_scores = [score_window(w, by_window.get(w, ()), rules) for w in windows]
    staff_graded = grade_all(
        staff_scores,
        {s.subject: rules.staff_grades.grade(s.total) for s in staff_scores},
        "excellent",
        rules.staff_grades.bounds[1][0] if len(rules.staff_grades.bounds) > 1 else "",
        rules.staff_excellent_share,
        TieRule(rules.tie_break, given.staff_measured),
    )
    window_tie = TieRule(rules.tie_break, given.window_measured)
    window_graded = grade_all(
        window_scores,
        {s.subject: rules.window_grades.grade(s.total) for s in window_scores},
        "excellent",
        rules.window_grades.bounds[1][0] if len(rules.window_grades.bounds) > 1 else "",
        rules.window_excellent_share,
        window_tie,
    )
    best_scores = score_best_windows(
        window_scores,
        [f for f in facts if not f.correction_of],  # a correction is not this month's work
        [p for p in given.promised if p.window in windows],
        given.volumes,
        rules,
        last,
    )
    best = best_windows(best_scores, rules.best_window_min, rules.best_window_share, window_tie)
    flags: list[Flag] = []
    before = previous_month(given.month)
    for graded in staff_graded:
        staff_no = graded.score.subject
        row = complaints_in_a_row(staff_no, given.decisions.get(staff_no, ()), first, last)
        twice = incompetent_twice(
            staff_no, before, given.previous_grades.get(staff_no), graded.grade
        )
        flags.extend(f for f in (row, twice) if f is not None)
    return MonthResult(
        given.hall,
        given.month,
        tuple(staff_graded),
        tuple(window_graded),
        tuple(int(b) for b in best),
        tuple(flags),
        tuple(best_scores),
    )


# ----- JSON, for the frozen copy of a closed month and for the API ------------------------


def _refs(refs: Sequence[Ref]) -> list[str]:
    return [str(r) for r in refs]


def _line(line: Line) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "part": line.part,
        "points": line.points,
        "text": line.text,
        "day": line.day,
        "refs": _refs(line.refs),
    }


def _parts(parts: Sequence[Part]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "maximum": p.maximum,
            "deducted": p.deducted,
            "score": p.score,
            "floored": p.floored,
            "lines": [_line(x) for x in p.lines],
        }
        for p in parts
    ]


def _graded(graded: Graded) -> dict[str, Any]:
    s = graded.score
    return {
        "subject": s.subject,
        "total": s.total,
        "grade": graded.grade,
        "rank": graded.rank,
        "note": graded.note,
        "decided_by": graded.decided_by,
        "bonus": s.bonus,
        "deducted": s.deducted,
        "parts": _parts(s.parts),
        "bonus_lines": [_line(x) for x in s.bonus_lines],
        "correction": s.correction,
        "correction_lines": [_line(x) for x in s.correction_lines],
    }


def _best_window(score: BestWindowScore) -> dict[str, Any]:
    return {
        "subject": score.subject,
        "total": score.total,
        "deducted": score.deducted,
        "parts": _parts(score.parts),
    }


def result_to_dict(result: MonthResult) -> dict[str, Any]:
    return {
        "hall": result.hall,
        "month": result.month,
        "staff": [_graded(g) for g in result.staff],
        "windows": [_graded(g) for g in result.windows],
        "best_windows": list(result.best_windows),
        "best_window_scores": [_best_window(b) for b in result.best_window_scores],
        "flags": [
            {"staff_no": f.staff_no, "kind": f.kind, "text": f.text, "refs": _refs(f.refs)}
            for f in result.flags
        ],
    }


_REF_KINDS = {k.value: k for k in RefKind}


def _ref(text: str) -> Ref:
    kind, _, ident = text.partition(":")
    return Ref(_REF_KINDS.get(kind) or RefKind(kind), ident)


def _line_back(raw: dict[str, Any]) -> Line:
    return Line(
        raw["kind"],
        raw["part"],
        raw["points"],
        raw["text"],
        raw["day"],
        tuple(_ref(r) for r in raw["refs"]),
    )


def _parts_back(raw: Sequence[dict[str, Any]]) -> tuple[Part, ...]:
    return tuple(
        Part(
            p["name"],
            p["maximum"],
            p["deducted"],
            p["score"],
            tuple(_line_back(x) for x in p["lines"]),
        )
        for p in raw
    )


def _graded_back(raw: dict[str, Any]) -> Graded:
    parts = _parts_back(raw["parts"])
    score = Score(
        raw["subject"],
        parts,
        tuple(_line_back(x) for x in raw["bonus_lines"]),
        raw["bonus"],
        # absent from months stored before corrections existed
        tuple(_line_back(x) for x in raw.get("correction_lines", ())),
    )
    return Graded(score, raw["grade"], raw["rank"], raw["note"], raw.get("decided_by", ""))


def result_from_dict(raw: Mapping[str, Any]) -> MonthResult:
    return MonthResult(
        raw["hall"],
        raw["month"],
        tuple(_graded_back(g) for g in raw["staff"]),
        tuple(_graded_back(g) for g in raw["windows"]),
        tuple(raw["best_windows"]),
        tuple(
            Flag(f["staff_no"], f["kind"], f["text"], tuple(_ref(r) for r in f["refs"]))
            for f in raw["flags"]
        ),
        # absent from months stored (and frozen) before the best window had its own score
        tuple(
            BestWindowScore(b["subject"], _parts_back(b["parts"]))
            for b in raw.get("best_window_scores", ())
        ),
    )
