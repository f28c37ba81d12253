"""The best window of the month (最佳窗口): its own 100 points, five parts of 20 (DOMAIN.md
"Assessment"), apart from the window score (quality 60 / integrity 20 / discipline 20).

Every part starts at `part_points` (20); its lines take points off or (on time only) add them;
the part is then clamped to 0..20. The lines are the same `Line`s the window score explains
itself with (what, points, day, the events / entries / complaints behind it).

Interpretation (our choices, also in docs/assessment.md):

- **volume** (业务量): finished visits at the window in the month (the reports' `served`, from
  the event log). The window(s) with the most get 20; the others 20 × volume / top volume,
  rounded to 0.1 (halves up). No finished visit in the whole hall: everyone 0. The line names
  no events (it is a count over the month).
- **on time and correct fees** (按时办结、规范收费): -`overdue_case_day` (3) per overdue working
  day of the window's promised cases (the same `overdue_case_day` facts the window score
  charges -5 for); once a month, by the window's mean share of promised working days (finish
  to deadline) left when its cases finished in the month were concluded (a late or
  unconcluded case counts 0): >= 50 % +8, >= 30 % +5, >= 20 % +1.5 (a share at a bound takes
  that bound's points). Once, not per case: per case, a busy window's dozens of early cases
  would outweigh any number of overdue days and the part would say nothing. Minus the window
  score's
  `fee_rule_broken` lines (supervision's entries, -5). Then clamped to 0..20: being ahead makes
  up for overdue days and fee breaches but never lifts the part above 20.
- **attitude** (服务态度): the window score's lines of upheld complaints and quarrels (-5, a
  serious quarrel -10). Dissatisfied ratings cost the window nothing in the window score, so
  they cost nothing here either.
- **complete guidance** (指南表格齐全): the window score's `guide_missing` / `forms_missing`
  lines (-1 each).
- **discipline** (工作纪律): the window score's `unattended` (-5 each time) and
  `leave_rules_broken` (-5) lines.

Which window-score kinds count against which part is `BestWindowRules.kinds`; kinds it does not
name (an improper gain, say) cost the best-window score nothing. Bonuses of the window score
(pennants, media praise ...) do not count: the five parts are all there is.

Choice among the windows: `grading.best_windows` on these scores (at least 90, about the top
20 %, the quotas' tie rule; the tie-break "fewer deducted points" reads the parts' lines before
clamping, net of the ahead-of-promise points).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from queue_server.domain.assessment.facts import Fact, PromisedCaseFact
from queue_server.domain.assessment.rules import BestWindowPart, BestWindowRules, ScoringRules
from queue_server.domain.assessment.scoring import Line, Part, Score

OVERDUE_KIND = "overdue_case_day"
AHEAD_KIND = "promised_case_ahead"
VOLUME_KIND = "volume"


@dataclass(frozen=True)
class BestWindowScore:
    """One window's best-window score: the five parts, each within 0..`maximum`."""

    subject: str  # the window number as text
    parts: tuple[Part, ...]

    @property
    def total(self) -> float:
        return round(sum(p.score for p in self.parts), 2)

    @property
    def deducted(self) -> float:
        """Points the lines take off before clamping (net of the ahead bonuses): the
        tie-break of the quota."""
        return round(sum(p.deducted for p in self.parts), 2)

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)


def _round_tenth(value: float) -> float:
    return math.floor(value * 10 + 0.5 + 1e-9) / 10


def volume_points(volume: int, top: int, maximum: float) -> float:
    """20 for the top volume, 20 × volume / top otherwise (to 0.1); 0 when nobody finished
    anything."""
    if top <= 0 or volume <= 0:
        return 0.0
    return min(maximum, _round_tenth(maximum * volume / top))


def share_ahead(case: PromisedCaseFact) -> float:
    """How much of its promised time a case was concluded ahead: 0 when on the deadline,
    late, not concluded, or promised for 0 working days."""
    if case.promised_working_days <= 0 or case.working_days_ahead <= 0:
        return 0.0
    return case.working_days_ahead / case.promised_working_days


def ahead_points(mean_share: float, rules: BestWindowRules) -> float:
    """The once-a-month bonus for the window's mean share ahead of the promise."""
    for bound, points in sorted(rules.ahead, key=lambda x: -x[0]):
        if mean_share > 0 and mean_share >= bound - 1e-9:
            return float(points)
    return 0.0


def _part(name: str, maximum: float, lines: Iterable[Line]) -> Part:
    ordered = tuple(sorted(lines, key=lambda x: (x.day, x.kind)))
    deducted = round(-sum(x.points for x in ordered), 2) + 0.0  # no -0.0
    score = round(min(maximum, max(0.0, maximum - deducted)), 2)
    return Part(name, maximum, deducted, score, ordered)


def _kind_text(rules: ScoringRules, kind: str, fallback: str) -> str:
    rule = rules.kinds.get(kind)
    return f"{rule.zh} {rule.en}" if rule is not None else fallback


def score_best_window(
    window_score: Score,
    facts: Iterable[Fact],
    promised: Iterable[PromisedCaseFact],
    volume: int,
    top_volume: int,
    rules: ScoringRules,
    last_day: date,
) -> BestWindowScore:
    """The five parts of one window, from its window score's lines, its overdue case-days,
    its promised cases and its volume."""
    best = rules.best_window
    maximum = float(best.part_points)
    window = int(window_score.subject)
    lines: dict[str, list[Line]] = {p.value: [] for p in BestWindowPart}

    points = volume_points(volume, top_volume, maximum)
    if top_volume <= 0:
        text = "业务量 volume: no finished visits in the hall this month: 0"
    elif volume >= top_volume:
        text = f"业务量 volume: {volume} finished visits, the month's top: {points:g}"
    else:
        text = (
            f"业务量 volume: {volume} finished visits of the month's top {top_volume}: "
            f"{maximum:g} × {volume}/{top_volume} = {points:g}"
        )
    lines[BestWindowPart.VOLUME].append(
        Line(VOLUME_KIND, BestWindowPart.VOLUME, round(points - maximum, 2), text,
             last_day.isoformat(), ())
    )  # fmt: skip

    overdue_text = _kind_text(rules, OVERDUE_KIND, "promised case overdue")
    for fact in facts:
        if fact.kind != OVERDUE_KIND or fact.window != window:
            continue
        off = round(-abs(best.overdue_case_day) * fact.quantity, 2)
        unit = f" × {fact.quantity}" if fact.quantity != 1 else ""
        text = f"{overdue_text}{unit}: {off:+g}" + (f" ({fact.note})" if fact.note else "")
        lines[BestWindowPart.ON_TIME].append(
            Line(OVERDUE_KIND, BestWindowPart.ON_TIME, off, text, fact.day.isoformat(), fact.refs)
        )
    cases = [c for c in promised if c.window == window and c.promised_working_days > 0]
    if cases:
        mean = sum(share_ahead(c) for c in cases) / len(cases)
        bonus = ahead_points(mean, best)
        if bonus > 0:
            text = (
                f"承诺件平均提前办结 promised cases concluded ahead on average: {mean:.0%} of "
                f"the promised working days over {len(cases)} cases: {bonus:+g}"
            )
            refs = tuple(ref for c in cases if share_ahead(c) > 0 for ref in c.refs)
            lines[BestWindowPart.ON_TIME].append(
                Line(AHEAD_KIND, BestWindowPart.ON_TIME, bonus, text, last_day.isoformat(), refs)
            )

    for part in window_score.parts:
        for line in part.lines:
            target = best.kinds.get(line.kind)
            if target is not None and line.points < 0:
                lines[str(target)].append(replace(line, part=str(target)))

    return BestWindowScore(
        window_score.subject,
        tuple(_part(name.value, maximum, lines[name.value]) for name in BestWindowPart),
    )


def score_best_windows(
    window_scores: Sequence[Score],
    facts: Sequence[Fact],
    promised: Sequence[PromisedCaseFact],
    volumes: Mapping[int, int],
    rules: ScoringRules,
    last_day: date,
) -> list[BestWindowScore]:
    """Every assessed window's best-window score; the top volume is the hall's."""
    known = [volumes.get(int(s.subject), 0) for s in window_scores]
    top = max([*volumes.values(), *known], default=0)
    # each window's facts and cases picked out once, not searched for in all of them
    facts_of: dict[int | None, list[Fact]] = {}
    for fact in facts:
        facts_of.setdefault(fact.window, []).append(fact)
    cases_of: dict[int, list[PromisedCaseFact]] = {}
    for case in promised:
        cases_of.setdefault(case.window, []).append(case)
    scores = []
    for s in window_scores:
        number = int(s.subject)
        scores.append(
            score_best_window(
                s,
                facts_of.get(number, ()),
                cases_of.get(number, ()),
                volumes.get(number, 0),
                top,
                rules,
                last_day,
            )
        )
    return scores
