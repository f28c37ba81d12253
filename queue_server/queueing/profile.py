"""When visitors arrive: an hourly profile of relative arrival rates over the hall's day.

A day's arrivals of one service are a non-homogeneous Poisson process whose rate is the
service's daily volume spread over the open issuing intervals in proportion to the profile.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Interval = tuple[float, float]  # minutes since the hall's local midnight, [start, end)


def _default_weights() -> dict[int, float]:
    # Observed shape of a district hall: a morning peak 9:30-10:30 and an afternoon peak
    # 14:30-15:30, quiet before lunch and in the last hour.
    by_slot = {
        "09:00": 0.9, "09:30": 1.5, "10:00": 1.6, "10:30": 1.2, "11:00": 0.9, "11:30": 0.6,
        "14:00": 1.0, "14:30": 1.5, "15:00": 1.5, "15:30": 1.1, "16:00": 0.9, "16:30": 0.7,
        "17:00": 0.5, "17:30": 0.3,
    }  # fmt: skip
    return {int(k[:2]) * 60 + int(k[3:]): v for k, v in by_slot.items()}


@dataclass(frozen=True)
class ArrivalProfile:
    """Relative arrival rate per slot of the day (slot start minute → weight).

    Open slots the profile does not name (a hall with other hours) get `base`.
    """

    weights: Mapping[int, float] = field(default_factory=_default_weights)
    slot_minutes: int = 30
    base: float = 0.5

    def weight_at(self, minute: float) -> float:
        slot = int(minute // self.slot_minutes) * self.slot_minutes
        return self.weights.get(slot, self.base)

    def segments(self, intervals: Sequence[Interval]) -> list[tuple[float, float, float]]:
        """(start, end, weight) pieces of the intervals, cut at slot boundaries."""
        pieces: list[tuple[float, float, float]] = []
        for start, end in intervals:
            t = start
            while t < end:
                boundary = (int(t // self.slot_minutes) + 1) * self.slot_minutes
                stop = min(end, boundary)
                weight = self.weight_at(t)
                if weight > 0:
                    pieces.append((t, stop, weight))
                t = stop
        return pieces

    def mass(self, intervals: Sequence[Interval]) -> float:
        return sum((b - a) * w for a, b, w in self.segments(intervals))

    @classmethod
    def from_arrivals(cls, minutes: Sequence[float], slot_minutes: int = 30) -> ArrivalProfile:
        """A profile measured from past arrival times (minutes since local midnight)."""
        counts: dict[int, float] = {}
        for m in minutes:
            slot = int(m // slot_minutes) * slot_minutes
            counts[slot] = counts.get(slot, 0) + 1
        if not counts:
            return cls(slot_minutes=slot_minutes)
        mean = sum(counts.values()) / len(counts)
        return cls(
            weights={k: v / mean for k, v in counts.items()}, slot_minutes=slot_minutes, base=0
        )


def clip(intervals: Sequence[Interval], start: float, end: float) -> list[Interval]:
    """The parts of `intervals` inside [start, end)."""
    return [(max(a, start), min(b, end)) for a, b in intervals if min(b, end) > max(a, start)]


def elapsed_fraction(profile: ArrivalProfile, intervals: Sequence[Interval], now: float) -> float:
    """Share of the day's expected arrivals that came before `now`."""
    total = profile.mass(intervals)
    if total <= 0:
        return 1.0
    return profile.mass(clip(intervals, float("-inf"), now)) / total
