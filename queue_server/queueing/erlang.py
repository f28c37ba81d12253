"""Erlang C (M/M/c) and the lognormal tail the forecast needs, in plain math."""

from __future__ import annotations

import math


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability of an M/M/c/c system with offered load `load` (erlangs)."""
    if servers < 0 or load < 0:
        raise ValueError("servers and load must not be negative")
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (load = λ/μ erlangs, < servers)."""
    if servers <= 0:
        raise ValueError("an Erlang C queue needs at least one server")
    if load >= servers:
        return 1.0
    b = erlang_b(servers, load)
    return servers * b / (servers - load * (1 - b))


def mean_wait(
    servers: int, arrival_rate: float, mean_service: float, service_cv: float = 1.0
) -> float:
    """Mean wait in queue, in the unit of `mean_service`.

    Erlang C for exponential handling; for other handling times the Allen-Cunneen
    correction (1 + cv²) / 2 with Poisson arrivals.
    """
    load = arrival_rate * mean_service
    if load >= servers:
        return math.inf
    if load <= 0:
        return 0.0
    wait = erlang_c(servers, load) * mean_service / (servers - load)
    return wait * (1 + service_cv**2) / 2


def _phi(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def lognormal_excess(mean: float, cv: float, threshold: float) -> float:
    """E[(H - threshold)+] for a lognormal H with the given mean and coefficient of variation."""
    if threshold <= 0:
        return mean - threshold
    sigma = math.sqrt(math.log(1 + cv**2))
    mu = math.log(mean) - sigma**2 / 2
    d1 = (mu + sigma**2 - math.log(threshold)) / sigma
    return mean * _phi(d1) - threshold * _phi(d1 - sigma)


def lognormal_survival(mean: float, cv: float, threshold: float) -> float:
    """P(H > threshold)."""
    if threshold <= 0:
        return 1.0
    sigma = math.sqrt(math.log(1 + cv**2))
    mu = math.log(mean) - sigma**2 / 2
    return 1 - _phi((math.log(threshold) - mu) / sigma)


def residual_minutes(mean: float, cv: float, elapsed: float) -> float:
    """Expected minutes left of a case already `elapsed` minutes in: E[H - e | H > e]."""
    survival = lognormal_survival(mean, cv, elapsed)
    if survival < 1e-9:
        return 1.0
    return max(0.5, lognormal_excess(mean, cv, elapsed) / survival)
