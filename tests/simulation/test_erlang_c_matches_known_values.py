from __future__ import annotations

import math
import random

import pytest

from queue_server.queueing import erlang


def erlang_c_by_definition(servers: int, load: float) -> float:
    top = load**servers / math.factorial(servers) * servers / (servers - load)
    return top / (sum(load**k / math.factorial(k) for k in range(servers)) + top)


@pytest.mark.parametrize(
    ("servers", "load", "expected"),
    [
        (1, 0.5, 0.5),  # M/M/1: the probability of waiting is the utilisation
        (2, 1.0, 1 / 3),
        (3, 2.0, 4 / 9),
        (10, 8.0, 0.409),  # the textbook call-centre example, to three decimals
    ],
)
def test_erlang_c_known_values(servers: int, load: float, expected: float) -> None:
    assert erlang.erlang_c(servers, load) == pytest.approx(expected, abs=5e-4)


@pytest.mark.parametrize(("servers", "load"), [(1, 0.9), (4, 3.2), (12, 11.0), (30, 25.5)])
def test_erlang_c_agrees_with_its_definition(servers: int, load: float) -> None:
    assert erlang.erlang_c(servers, load) == pytest.approx(erlang_c_by_definition(servers, load))


def test_mean_wait_of_an_mm1_queue() -> None:
    # λ = 0.1 per minute, 8-minute cases: Wq = ρ / (μ - λ) = 0.8 / (0.125 - 0.1) = 32 minutes.
    assert erlang.mean_wait(1, 0.1, 8.0) == pytest.approx(32.0)
    # Deterministic handling halves the wait (Pollaczek-Khinchine).
    assert erlang.mean_wait(1, 0.1, 8.0, service_cv=0.0) == pytest.approx(16.0)
    assert erlang.mean_wait(2, 0.3, 8.0) == math.inf  # overloaded


def test_the_lognormal_tail_integrals() -> None:
    mean, cv = 10.0, 0.6
    for threshold in (5.0, 10.0, 20.0):
        # E[(H - k)+] = ∫ P(H > x) dx from k on, by the trapezoid rule.
        step, x, area = 0.01, threshold, 0.0
        while x < 400:
            a = erlang.lognormal_survival(mean, cv, x)
            b = erlang.lognormal_survival(mean, cv, x + step)
            area += (a + b) / 2 * step
            x += step
        assert erlang.lognormal_excess(mean, cv, threshold) == pytest.approx(area, rel=1e-4)
    assert erlang.lognormal_excess(mean, cv, 0.0) == pytest.approx(mean)
    # The survival function against draws.
    rng = random.Random(1)
    sigma = math.sqrt(math.log(1 + cv**2))
    draws = [rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma) for _ in range(100_000)]
    above = sum(d > 10.0 for d in draws) / len(draws)
    assert erlang.lognormal_survival(mean, cv, 10.0) == pytest.approx(above, abs=0.01)
    # A case already 10 minutes in has more left than the 0 minutes its mean would say.
    assert 5.0 < erlang.residual_minutes(mean, cv, 10.0) < 10.0
