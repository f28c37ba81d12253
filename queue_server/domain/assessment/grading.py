"""Grades, the excellent quotas and the choice of the best windows of the month.

Quota size: round(n × share), halves up (DOMAIN.md: "about 15 %" / "about 20 %").
Tie rule at the quota's cut: candidates are ranked by total (higher first), then by fewer
deducted points; if the last place inside the quota and the first place outside it are still
equal on both, all candidates with that standing are left out. The quota is never exceeded
and nobody is preferred over an equal for no stated reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
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


def _standing(score: Standing) -> tuple[float, float]:
    return (-score.total, round(score.deducted, 2))


def ranked(scores: Sequence[S]) -> list[S]:
    return sorted(scores, key=lambda s: (_standing(s), s.subject))


def within_quota(candidates: Sequence[Standing], places: int) -> tuple[set[str], set[str]]:
    """(chosen subjects, subjects left out by the tie rule)."""
    order = ranked(candidates)
    if places <= 0:
        return set(), set()
    if len(order) <= places:
        return {s.subject for s in order}, set()
    chosen = order[:places]
    cut = _standing(order[places])
    if _standing(chosen[-1]) == cut:
        tied = {s.subject for s in order if _standing(s) == cut}
        return {s.subject for s in chosen if _standing(s) != cut}, tied
    return {s.subject for s in chosen}, set()


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


def grade_all(
    scores: Sequence[Score],
    bounds_grade: dict[str, str],
    excellent: str,
    demoted_to: str,
    share: float,
) -> list[Graded]:
    """Grades from the bounds, then the excellent quota: those left out take `demoted_to`."""
    candidates = [s for s in scores if bounds_grade[s.subject] == excellent]
    places = quota(len(scores), share)
    chosen, tied = within_quota(candidates, places)
    ranks = standard_competition_ranks(scores)
    result = []
    for item in sorted(scores, key=lambda s: (ranks[s.subject], s.subject)):
        grade = bounds_grade[item.subject]
        note = ""
        if grade == excellent and item.subject not in chosen:
            grade = demoted_to
            why = "tied at the cut, all tied left out" if item.subject in tied else "ranked below"
            note = f"reached the excellent bound but outside the quota of {places} ({why})"
        result.append(Graded(item, grade, ranks[item.subject], note))
    return result


def best_windows(scores: Sequence[Standing], minimum: float, share: float) -> list[str]:
    """最佳窗口: at least `minimum` points and about the top `share`; at least one place when
    anybody reaches the minimum, none when nobody does. `scores` are the best-window scores
    (`best_window.BestWindowScore`, five parts of 20), not the window scores."""
    candidates = [s for s in scores if s.total >= minimum]
    if not candidates:
        return []
    chosen, _ = within_quota(candidates, max(1, quota(len(scores), share)))
    return [s.subject for s in ranked(candidates) if s.subject in chosen]
