"""Grades, the excellent quotas and the choice of the best windows of the month.

Quota size: round(n × share), halves up (DOMAIN.md: "about 15 %" / "about 20 %").
Tie rule at the quota's cut: candidates are ranked by total (higher first), then by the hall's
published criteria in order (`ScoringRules.tie_break`, e.g. fewer deducted points, fewer
dissatisfied ratings, higher satisfaction share, more visits served); if the last place inside
the quota and the first place outside it are still equal on all of them, all candidates with
that standing are left out. The quota is never exceeded and nobody is preferred over an equal
for no stated reason. Every grade decided at the quota's edge says which criterion decided it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from queue_server.domain.assessment.scoring import Score


class Standing(Protocol):
    """What the quotas rank: a window or staff score, or a best-window score."""

    @property
    def subject(self) -> str: ...

    @property
    def total(self) -> float: ...

    @property
    def deducted(self) -> float: ...


S = TypeVar("S", bound=Standing)


def quota(count: int, share: float) -> int:
    return math.floor(count * share + 0.5)


@dataclass(frozen=True)
class Criterion:
    zh: str  # as the bulletin prints it
    en: str
    higher_first: bool  # True: the higher value ranks first


# The criteria a hall may list in `[assessment] tie_break`, applied in its order after the total.
TIE_CRITERIA: dict[str, Criterion] = {
    "deducted": Criterion("扣分少者优先", "fewer points deducted", False),
    "bad_ratings": Criterion("不满意评价少者优先", "fewer dissatisfied ratings", False),
    "satisfaction": Criterion("满意率高者优先", "higher satisfaction share", True),
    "volume": Criterion("办件量多者优先", "more visits served", True),
}
TOTAL = "total"
ALL_TIED_OUT = "all_tied_left_out"

# subject -> criterion -> value, for the criteria that are not read off the score
Measured = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class TieRule:
    criteria: tuple[str, ...] = ("deducted",)
    measured: Measured = field(default_factory=dict)

    def value(self, score: Standing, criterion: str) -> float:
        if criterion == "deducted":
            return round(score.deducted, 2)
        return round(float(self.measured.get(score.subject, {}).get(criterion, 0.0)), 4)

    def key(self, score: Standing) -> tuple[float, ...]:
        values = [-score.total]
        for name in self.criteria:
            value = self.value(score, name)
            values.append(-value if TIE_CRITERIA[name].higher_first else value)
        return tuple(values)

    def deciding(self, a: Standing, b: Standing) -> str:
        """The first thing that tells `a` and `b` apart: the total, a criterion's name, or
        ALL_TIED_OUT when nothing does."""
        if a.total != b.total:
            return TOTAL
        for name in self.criteria:
            if self.value(a, name) != self.value(b, name):
                return name
        return ALL_TIED_OUT

    def describe_en(self) -> str:
        steps = [TIE_CRITERIA[c].en for c in self.criteria]
        then = ", then ".join(steps)
        return (
            f"ties on total broken by {then}; still equal: all tied left out"
            if steps
            else "all tied on total left out"
        )

    def describe(self) -> str:
        steps = [f"{TIE_CRITERIA[c].zh}" for c in self.criteria]
        return (
            "同分时" + "，再".join(steps) + "；仍相同者均不占名额"
            if steps
            else ("同分者均不占名额")
        )


DEFAULT_TIE_RULE = TieRule()


def ranked(scores: Sequence[S], tie: TieRule = DEFAULT_TIE_RULE) -> list[S]:
    return sorted(scores, key=lambda s: (tie.key(s), s.subject))


@dataclass(frozen=True)
class QuotaOutcome:
    chosen: set[str]
    tied_out: set[str]  # left out because nothing told them from the last place inside
    # subject -> what decided it at the quota's edge (a criterion, TOTAL or ALL_TIED_OUT),
    # for the candidates equal on total with the other side of the cut
    decided_by: dict[str, str]


def within_quota(
    candidates: Sequence[Standing], places: int, tie: TieRule = DEFAULT_TIE_RULE
) -> QuotaOutcome:
    order = ranked(candidates, tie)
    if places <= 0 or not order:
        return QuotaOutcome(set(), set(), {})
    if len(order) <= places:
        return QuotaOutcome({s.subject for s in order}, set(), {})
    chosen = order[:places]
    first_out = order[places]
    tied: set[str] = set()
    if tie.key(chosen[-1]) == tie.key(first_out):
        cut = tie.key(first_out)
        tied = {s.subject for s in order if tie.key(s) == cut}
    inside = {s.subject for s in chosen} - tied
    decided: dict[str, str] = {}
    last_in = next((s for s in reversed(chosen) if s.subject in inside), None)
    for s in order:
        if s.subject in tied:
            decided[s.subject] = ALL_TIED_OUT
        elif s.subject in inside and s.total == first_out.total:
            decided[s.subject] = tie.deciding(s, first_out)
        elif s.subject not in inside and last_in is not None and s.total == last_in.total:
            decided[s.subject] = tie.deciding(last_in, s)
    return QuotaOutcome(inside, tied, decided)


def standard_competition_ranks(scores: Sequence[Score]) -> dict[str, int]:
    """1, 2, 2, 4 ...: equal totals share a rank."""
    ranks: dict[str, int] = {}
    order = sorted(scores, key=lambda s: (-s.total, s.subject))
    for index, item in enumerate(order):
        same = index > 0 and order[index - 1].total == item.total
        ranks[item.subject] = ranks[order[index - 1].subject] if same else index + 1
    return ranks


@dataclass(frozen=True)
class Graded:
    score: Score
    grade: str
    rank: int
    note: str = ""
    # at the excellent quota's edge: the criterion that decided (see TIE_CRITERIA), TOTAL,
    # or ALL_TIED_OUT; empty when the grade was not decided at the edge
    decided_by: str = ""


def grade_all(
    scores: Sequence[Score],
    bounds_grade: dict[str, str],
    excellent: str,
    demoted_to: str,
    share: float,
    tie: TieRule = DEFAULT_TIE_RULE,
) -> list[Graded]:
    """Grades from the bounds, then the excellent quota: those left out take `demoted_to`."""
    candidates = [s for s in scores if bounds_grade[s.subject] == excellent]
    places = quota(len(scores), share)
    outcome = within_quota(candidates, places, tie)
    ranks = standard_competition_ranks(scores)
    result = []
    for item in sorted(scores, key=lambda s: (ranks[s.subject], s.subject)):
        grade = bounds_grade[item.subject]
        decided = outcome.decided_by.get(item.subject, "") if grade == excellent else ""
        note = ""
        if grade == excellent and item.subject not in outcome.chosen:
            grade = demoted_to
            if decided == ALL_TIED_OUT:
                why = "tied at the cut on every criterion, all tied left out"
            elif decided and decided != TOTAL:
                why = f"tie broken by {TIE_CRITERIA[decided].en}"
            else:
                why = "ranked below"
            note = f"reached the excellent bound but outside the quota of {places} ({why})"
        elif decided and decided not in (TOTAL, ALL_TIED_OUT):
            note = f"tied on total at the quota's edge; {TIE_CRITERIA[decided].en} decided"
        result.append(Graded(item, grade, ranks[item.subject], note, decided))
    return result


def best_windows(
    scores: Sequence[Standing], minimum: float, share: float, tie: TieRule = DEFAULT_TIE_RULE
) -> list[str]:
    """最佳窗口: at least `minimum` points and about the top `share`; at least one place when
    anybody reaches the minimum, none when nobody does. `scores` are the best-window scores
    (`best_window.BestWindowScore`, five parts of 20), not the window scores."""
    candidates = [s for s in scores if s.total >= minimum]
    if not candidates:
        return []
    outcome = within_quota(candidates, max(1, quota(len(scores), share)), tie)
    return [s.subject for s in ranked(candidates, tie) if s.subject in outcome.chosen]
