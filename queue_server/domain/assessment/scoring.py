"""Scores of one month: every part starts at its maximum, deductions take it down to zero at
most, bonuses stand beside the parts. Every point is a line naming the facts it came from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from queue_server.domain.assessment.facts import Fact, Ref
from queue_server.domain.assessment.rules import BONUS, Effect, ScoringRules


@dataclass(frozen=True)
class Line:
    kind: str
    part: str
    points: float  # negative: deducted, positive: bonus (as the rule says, before flooring)
    text: str
    day: str  # ISO date
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class Part:
    name: str
    maximum: float
    deducted: float  # sum of the lines, may exceed the maximum
    score: float  # maximum - deducted, never below zero
    lines: tuple[Line, ...]

    @property
    def floored(self) -> bool:
        return self.deducted > self.maximum


@dataclass(frozen=True)
class Score:
    """One staff member's or one window's month before grading."""

    subject: str  # staff number, or the window number as text
    parts: tuple[Part, ...]
    bonus_lines: tuple[Line, ...]
    bonus: float  # after the rules' cap, if any
    # corrections (更正) of closed months recorded in this month: they stand beside the parts
    # like the bonuses, uncapped and unfloored, so a correction always counts in full
    correction_lines: tuple[Line, ...] = ()

    @property
    def base(self) -> float:
        return sum(p.score for p in self.parts)

    @property
    def correction(self) -> float:
        return round(sum(x.points for x in self.correction_lines), 2)

    @property
    def total(self) -> float:
        return round(self.base + self.bonus + self.correction, 2)

    @property
    def deducted(self) -> float:
        """Points the lines deduct (before flooring): the tie-break of the quotas."""
        return sum(p.deducted for p in self.parts)

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)


def _line(fact: Fact, effect: Effect, rules: ScoringRules) -> Line:
    rule = rules.kind(fact.kind)
    per_unit = effect.points
    if fact.points is not None and rule.points_range is not None:
        low, high = rule.points_range
        chosen = min(max(abs(fact.points), low), high)
        per_unit = chosen if effect.part == BONUS else -chosen
    points = round(per_unit * fact.quantity, 2)
    unit = f" × {fact.quantity}" if fact.quantity != 1 else ""
    text = f"{rule.zh} {rule.en}{unit}: {points:+g}"
    if fact.correction_of:
        text = f"更正 {fact.correction_of} correction: {text}"
    if fact.note:
        text += f" ({fact.note})"
    return Line(fact.kind, effect.part, points, text, fact.day.isoformat(), fact.refs)


def score(
    subject: str,
    maxima: Mapping[str, float],
    effects: Iterable[tuple[Fact, Effect]],
    rules: ScoringRules,
) -> Score:
    by_part: dict[str, list[Line]] = {name: [] for name in maxima}
    bonus_lines: list[Line] = []
    correction_lines: list[Line] = []
    for fact, effect in effects:
        line = _line(fact, effect, rules)
        if fact.correction_of:
            correction_lines.append(line)
        elif effect.part == BONUS:
            bonus_lines.append(line)
        elif effect.part in by_part:
            by_part[effect.part].append(line)
        else:
            raise ValueError(f"rule {fact.kind!r} names unknown part {effect.part!r}")
    parts = []
    for name, maximum in maxima.items():
        lines = sorted(by_part[name], key=lambda x: (x.day, x.kind))
        deducted = round(-sum(x.points for x in lines), 2)
        parts.append(Part(name, maximum, deducted, max(0.0, maximum - deducted), tuple(lines)))
    bonus = sum(x.points for x in bonus_lines)
    if rules.bonus_cap is not None:
        bonus = min(bonus, rules.bonus_cap)
    return Score(
        subject,
        tuple(parts),
        tuple(sorted(bonus_lines, key=lambda x: x.day)),
        round(bonus, 2),
        tuple(sorted(correction_lines, key=lambda x: (x.day, x.kind))),
    )


def score_staff(staff_no: str, facts: Iterable[Fact], rules: ScoringRules) -> Score:
    effects = []
    for fact in facts:
        effect = rules.kind(fact.kind).staff
        if fact.staff_no == staff_no and effect is not None:
            effects.append((fact, effect))
    return score(staff_no, rules.staff_parts, effects, rules)


def score_window(window: int, facts: Iterable[Fact], rules: ScoringRules) -> Score:
    effects = []
    for fact in facts:
        effect = rules.kind(fact.kind).window
        if fact.window == window and effect is not None:
            effects.append((fact, effect))
    return score(str(window), rules.window_parts, effects, rules)
