"""Issue 22's targets for the HTTP bench, judged from one run's figures (bench_queue_api).

Each target is a ratio or a bound taken in the same run, so a verdict reads the same on a
quiet box and a busy one. The bench prints one line a target under each engine's table. With
`--repeat N` each cell is N pairs of runs (the bare INSERT, then hallq, alternating) and a
ratio is the median of the pairs' ratios: on a shared machine the bare app's own rate swung
twofold between runs minutes apart, which one pair turned into a verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

RATIO = 0.5  # of the bare INSERT's rate, same engine, same run
P99_AT_10_MS = 50.0  # SQLite only
FLAT_DAY = 0.9  # the issue rate with a grown day, as a share of the rate with a small one


@dataclass(frozen=True)
class Pairs:
    """One cell's runs, each hallq run with the bare INSERT run just before it."""

    rates: tuple[float, ...]  # hallq requests/s
    bare: tuple[float, ...]  # bare INSERT/s
    p99: tuple[float, ...] = ()  # hallq ms

    @classmethod
    def one(cls, rate: float, bare: float, p99: float = 0.0) -> Pairs:
        return cls((rate,), (bare,), (p99,))

    @property
    def ratio(self) -> float:
        return median(r / b for r, b in zip(self.rates, self.bare, strict=True))

    @property
    def rate(self) -> float:
        return median(self.rates)

    @property
    def p99_ms(self) -> float:
        return median(self.p99) if self.p99 else 0.0

    def ratio_text(self) -> str:
        """The median ratio, and the pairs' range when there are several."""
        ratios = [r / b for r, b in zip(self.rates, self.bare, strict=True)]
        if len(ratios) == 1:
            return f"{ratios[0]:.2f}"
        return f"{self.ratio:.2f} ({min(ratios):.2f}-{max(ratios):.2f})"


@dataclass(frozen=True)
class EngineRun:
    """One engine's cells: the issue's per client count, and the call round's."""

    engine: str
    issue: Mapping[int, Pairs]
    call: Pairs
    double_calls: int


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def engine_verdicts(run: EngineRun) -> list[str]:
    clients = sorted(run.issue)
    ratios = [run.issue[n].ratio for n in clients]
    rates = [run.issue[n].rate for n in clients]
    lines = [
        f"- issue >= {RATIO}x the bare INSERT at "
        + " / ".join(str(n) for n in clients)
        + " clients: "
        + " / ".join(run.issue[n].ratio_text() for n in clients)
        + f": {_verdict(all(r >= RATIO for r in ratios))}",
        "- issue rate not falling as clients are added: "
        + " -> ".join(f"{r:,.0f}/s" for r in rates)
        + f": {_verdict(all(b >= a for a, b in pairwise(rates)))}",
    ]
    if run.engine == "sqlite" and 10 in run.issue:
        p99 = run.issue[10].p99_ms
        lines.append(
            f"- issue p99 at 10 clients < {P99_AT_10_MS:.0f} ms: {p99:.1f} ms: "
            f"{_verdict(p99 < P99_AT_10_MS)}"
        )
    lines.append(
        f"- call round >= {RATIO}x the bare INSERT, 0 double calls: {run.call.ratio_text()}, "
        f"{run.double_calls}: {_verdict(run.call.ratio >= RATIO and run.double_calls == 0)}"
    )
    return lines


def flat_day_verdicts(rates_by_day: Mapping[int, Mapping[int, float]]) -> list[str]:
    """Issue rates by tickets already issued today, then by clients: the largest day against
    the smallest, each client count."""
    if len(rates_by_day) < 2:
        return []
    small, large = min(rates_by_day), max(rates_by_day)
    lines = []
    for clients in sorted(rates_by_day[small]):
        before, after = rates_by_day[small][clients], rates_by_day[large].get(clients)
        if after is None:
            continue
        share = after / before
        lines.append(
            f"- issue rate with {large:,} issued today within {1 - FLAT_DAY:.0%} of the rate "
            f"with {small:,}, {clients} client{'s' if clients != 1 else ''}: {share:.0%}: "
            f"{_verdict(share >= FLAT_DAY)}"
        )
    return lines
