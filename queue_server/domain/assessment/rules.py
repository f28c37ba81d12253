"""The assessment's numbers, with DOMAIN.md's as defaults (a hall may follow its own rules).

Every kind of fact (a late sign-in, an overdue case-day, a pennant ...) has an effect on the
staff member concerned and/or on the window: the part it hits and the points per unit
(negative: a deduction, positive: a bonus). Where DOMAIN.md gives no number the choice is
marked `# chosen:` and documented in docs/assessment.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


class StaffPart(StrEnum):
    CONDUCT = "conduct"  # 德
    ABILITY = "ability"  # 能
    DILIGENCE = "diligence"  # 勤
    RESULTS = "results"  # 绩
    INTEGRITY = "integrity"  # 廉


class WindowPart(StrEnum):
    QUALITY = "quality"  # 服务质量
    INTEGRITY = "integrity"  # 廉洁
    DISCIPLINE = "discipline"  # 纪律


BONUS = "bonus"  # bonuses stand outside the parts: a part never exceeds its maximum

PART_ZH: dict[str, str] = {
    "conduct": "德",
    "ability": "能",
    "diligence": "勤",
    "results": "绩",
    "integrity": "廉",
    "quality": "服务质量",
    "discipline": "纪律",
    BONUS: "加分",
}


# A window's integrity part is 廉洁 (the staff's is 廉)
WINDOW_PART_ZH: dict[str, str] = {**PART_ZH, "integrity": "廉洁"}


@dataclass(frozen=True)
class Effect:
    part: str  # a StaffPart/WindowPart value, or BONUS
    points: float  # per unit: negative deducts, positive adds


@dataclass(frozen=True)
class KindRule:
    zh: str
    en: str
    staff: Effect | None = None
    window: Effect | None = None
    # Manual entries of this kind may state their own points within this range (absolute
    # values), e.g. missing meetings -1/-2, good deeds +2..5.
    points_range: tuple[float, float] | None = None
    manual: bool = True  # supervision may record it; False: only the system measures it


def _d(part: str, points: float) -> Effect:
    return Effect(part, -abs(points))


def _b(points: float) -> Effect:
    return Effect(BONUS, abs(points))


S, W = StaffPart, WindowPart

DEFAULT_KINDS: dict[str, KindRule] = {
    # ----- measured by the system (reports' month measures, complaints register) ------------
    "late": KindRule("迟到", "late", staff=_d(S.DILIGENCE, 2), manual=False),
    "early_leave": KindRule("早退", "early leave", staff=_d(S.DILIGENCE, 2), manual=False),
    "off_post": KindRule("脱岗", "off post", staff=_d(S.DILIGENCE, 2), manual=False),
    "unattended": KindRule(
        "工作时间窗口无人",
        "window unattended during hours",
        window=_d(W.DISCIPLINE, 5),
        manual=False,
    ),
    # per overdue working day: staff 绩 -3, window -5 (DOMAIN.md)
    "overdue_case_day": KindRule(
        "承诺件超期（每工作日）",
        "promised case overdue (per working day)",
        staff=_d(S.RESULTS, 3),
        window=_d(W.QUALITY, 5),
        manual=False,
    ),
    # chosen: a dissatisfied rating costs the window nothing (DOMAIN.md names the clerk only)
    "dissatisfied_rating": KindRule(
        "群众不满意", "visitor dissatisfied", staff=_d(S.RESULTS, 1), manual=False
    ),
    # chosen: an upheld complaint is charged to the clerk as "caused by attitude" (德 -2)
    "complaint_upheld": KindRule(
        "投诉属实",
        "upheld complaint",
        staff=_d(S.CONDUCT, 2),
        window=_d(W.QUALITY, 5),
        manual=False,
    ),
    # ----- recorded by supervision (manual entries) -----------------------------------------
    "quarrel": KindRule("与群众争吵", "quarrel with a visitor", _d(S.CONDUCT, 2), _d(W.QUALITY, 5)),
    "serious_quarrel": KindRule(
        "与群众争吵（情节严重）", "serious quarrel", _d(S.CONDUCT, 5), _d(W.QUALITY, 10)
    ),
    "meeting_absence": KindRule(
        "无故缺席会议", "missed a required meeting", _d(S.CONDUCT, 1), points_range=(1, 2)
    ),
    "one_time_notice_failure": KindRule(
        "不能解答或未一次性告知", "could not answer / no one-time notice", _d(S.ABILITY, 2)
    ),
    "policy_error": KindRule("政策性差错", "policy error", _d(S.ABILITY, 3)),
    "absence": KindRule("旷工", "absence", _d(S.DILIGENCE, 5)),
    "improper_conduct": KindRule(
        "窗口行为不当", "improper conduct at the window", _d(S.DILIGENCE, 1)
    ),
    "error_not_corrected": KindRule("差错未纠正", "error not corrected", _d(S.RESULTS, 3)),
    "error_with_complaint": KindRule(
        "差错未纠正并引起投诉", "error not corrected, with complaint", _d(S.RESULTS, 6)
    ),
    # chosen: the window's integrity part takes the same points as the clerk's 廉
    "improper_gain": KindRule(
        "吃拿卡要", "improper gain", _d(S.INTEGRITY, 10), _d(W.INTEGRITY, 10)
    ),
    "fee_rule_broken": KindRule(
        "违规收费", "fee rule broken", _d(S.INTEGRITY, 5), _d(W.INTEGRITY, 5)
    ),
    "guide_missing": KindRule("办事指南缺失", "guide missing", window=_d(W.QUALITY, 1)),
    "forms_missing": KindRule("空白表格缺失", "blank forms missing", window=_d(W.QUALITY, 1)),
    "leave_rules_broken": KindRule(
        "违反请假制度", "leave rules broken", window=_d(W.DISCIPLINE, 5)
    ),
    "media_praise_district": KindRule("区级媒体表扬", "media praise (district)", _b(3), _b(3)),
    "media_praise_city": KindRule("市级媒体表扬", "media praise (city)", _b(6), _b(6)),
    "media_praise_province": KindRule("省级媒体表扬", "media praise (province)", _b(9), _b(9)),
    "media_praise_nation": KindRule("国家级媒体表扬", "media praise (nation)", _b(12), _b(12)),
    "letter_of_thanks": KindRule("感谢信", "letter of thanks", _b(2), _b(2)),
    "pennant": KindRule("锦旗", "pennant", window=_b(5)),
    "good_deed": KindRule("好人好事", "good deed", window=_b(2), points_range=(2, 5)),
}


@dataclass(frozen=True)
class Grades:
    """Lower bounds, highest grade first; below the last bound is the lowest grade."""

    bounds: tuple[tuple[str, float], ...]
    lowest: str

    def grade(self, total: float) -> str:
        for name, bound in self.bounds:
            if total >= bound:
                return name
        return self.lowest


STAFF_GRADES = Grades(
    (("excellent", 90), ("competent", 75), ("basically_competent", 60)), "incompetent"
)
# chosen: DOMAIN.md names the window grades but not their bounds.
WINDOW_GRADES = Grades((("excellent", 90), ("good", 80), ("pass", 60)), "fail")

GRADE_ZH = {
    "excellent": "优秀",
    "competent": "称职",
    "basically_competent": "基本称职",
    "incompetent": "不称职",
    "good": "良好",
    "pass": "合格",
    "fail": "不合格",
}


class BestWindowPart(StrEnum):
    """最佳窗口's own five parts (not the window score's parts), DOMAIN.md "Assessment"."""

    VOLUME = "volume"  # 业务量
    ON_TIME = "on_time"  # 按时办结、规范收费
    ATTITUDE = "attitude"  # 服务态度
    GUIDANCE = "guidance"  # 一次性告知、指南表格齐全
    DISCIPLINE = "discipline"  # 工作纪律


B = BestWindowPart

BEST_WINDOW_PART_ZH: dict[str, str] = {
    B.VOLUME: "业务量",
    B.ON_TIME: "按时收费",
    B.ATTITUDE: "态度",
    B.GUIDANCE: "指南",
    B.DISCIPLINE: "纪律",
}


@dataclass(frozen=True)
class BestWindowRules:
    """The best window's 100 points: five parts of `part_points`, DOMAIN.md's numbers.

    `overdue_case_day`: points off the on-time part per overdue working day (DOMAIN.md -3, not
    the window score's -5). `ahead`: (share of the promised working days concluded ahead, points
    added per case), highest share first; a share at a bound takes that bound's points.
    `kinds`: which deduction lines of the window score (by kind) also count against which
    best-window part, with the window score's points (chosen, docs/assessment.md).
    """

    part_points: float = 20
    overdue_case_day: float = 3
    ahead: tuple[tuple[float, float], ...] = ((0.5, 8), (0.3, 5), (0.2, 1.5))
    kinds: dict[str, str] = field(
        default_factory=lambda: {
            "fee_rule_broken": B.ON_TIME,
            "complaint_upheld": B.ATTITUDE,
            "quarrel": B.ATTITUDE,
            "serious_quarrel": B.ATTITUDE,
            "guide_missing": B.GUIDANCE,
            "forms_missing": B.GUIDANCE,
            "unattended": B.DISCIPLINE,
            "leave_rules_broken": B.DISCIPLINE,
        }
    )


@dataclass(frozen=True)
class ScoringRules:
    staff_parts: dict[str, float] = field(
        default_factory=lambda: {
            S.CONDUCT: 20, S.ABILITY: 20, S.DILIGENCE: 20, S.RESULTS: 25, S.INTEGRITY: 15
        }
    )  # fmt: skip
    window_parts: dict[str, float] = field(
        default_factory=lambda: {W.QUALITY: 60, W.INTEGRITY: 20, W.DISCIPLINE: 20}
    )
    kinds: dict[str, KindRule] = field(default_factory=lambda: dict(DEFAULT_KINDS))
    staff_grades: Grades = STAFF_GRADES
    window_grades: Grades = WINDOW_GRADES
    staff_excellent_share: float = 0.15
    window_excellent_share: float = 0.20
    best_window_min: float = 90
    best_window_share: float = 0.20
    best_window: BestWindowRules = field(default_factory=BestWindowRules)
    # chosen: bonuses are not capped unless a hall says so
    bonus_cap: float | None = None
    # The tie rule at the excellent quotas' and the best window's cut: after the total, these
    # criteria in order (grading.TIE_CRITERIA); still equal: all tied are left out.
    tie_break: tuple[str, ...] = ("deducted",)

    def kind(self, name: str) -> KindRule:
        try:
            return self.kinds[name]
        except KeyError:
            raise ValueError(f"unknown assessment kind {name!r}") from None

    def with_points(self, name: str, staff: float | None, window: float | None) -> ScoringRules:
        """These rules with the per-unit points of one kind replaced (sign kept by the part)."""
        rule = self.kind(name)
        if staff is not None:
            if rule.staff is None:
                raise ValueError(f"{name!r} has no effect on staff to change")
            rule = replace(rule, staff=_signed(rule.staff, staff))
        if window is not None:
            if rule.window is None:
                raise ValueError(f"{name!r} has no effect on windows to change")
            rule = replace(rule, window=_signed(rule.window, window))
        return replace(self, kinds={**self.kinds, name: rule})


def _signed(effect: Effect, points: float) -> Effect:
    return Effect(effect.part, abs(points) if effect.part == BONUS else -abs(points))


DEFAULT_RULES = ScoringRules()


def rules_to_dict(rules: ScoringRules) -> dict[str, Any]:
    """A JSON-ready copy, frozen with a closed month."""
    data = asdict(rules)
    data["staff_parts"] = {str(k): v for k, v in rules.staff_parts.items()}
    data["window_parts"] = {str(k): v for k, v in rules.window_parts.items()}
    best = data["best_window"]
    best["ahead"] = [list(x) for x in rules.best_window.ahead]
    best["kinds"] = {k: str(v) for k, v in rules.best_window.kinds.items()}
    data["tie_break"] = list(rules.tie_break)
    return data


def rules_from_dict(data: dict[str, Any]) -> ScoringRules:
    def effect(raw: dict[str, Any] | None) -> Effect | None:
        return None if raw is None else Effect(raw["part"], raw["points"])

    def grades(raw: dict[str, Any]) -> Grades:
        return Grades(tuple((n, b) for n, b in raw["bounds"]), raw["lowest"])

    kinds = {
        name: KindRule(
            raw["zh"],
            raw["en"],
            effect(raw["staff"]),
            effect(raw["window"]),
            tuple(raw["points_range"]) if raw["points_range"] else None,
            raw["manual"],
        )
        for name, raw in data["kinds"].items()
    }
    # Rules frozen before the best window had its own score carry no "best_window": defaults.
    raw_best = data.get("best_window")
    best = (
        BestWindowRules()
        if raw_best is None
        else BestWindowRules(
            part_points=raw_best["part_points"],
            overdue_case_day=raw_best["overdue_case_day"],
            ahead=tuple((share, points) for share, points in raw_best["ahead"]),
            kinds=dict(raw_best["kinds"]),
        )
    )
    return ScoringRules(
        staff_parts=dict(data["staff_parts"]),
        window_parts=dict(data["window_parts"]),
        kinds=kinds,
        staff_grades=grades(data["staff_grades"]),
        window_grades=grades(data["window_grades"]),
        staff_excellent_share=data["staff_excellent_share"],
        window_excellent_share=data["window_excellent_share"],
        best_window_min=data["best_window_min"],
        best_window_share=data["best_window_share"],
        best_window=best,
        bonus_cap=data["bonus_cap"],
        # rules frozen before the tie rule could be chosen: the one rule of that time
        tie_break=tuple(data.get("tie_break", ("deducted",))),
    )
