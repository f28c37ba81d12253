"""Nothing disappears unacknowledged: reconciling stored alerts with what stands now."""

from __future__ import annotations

from datetime import UTC, datetime

from queue_server.domain.alerts import Condition, Rule, Severity, Stored, reconcile

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def standing(*keys: str) -> list[Condition]:
    return [Condition(k, Rule.QUEUE_OVER_LIMIT, Severity.WARNING, NOW) for k in keys]


def test_a_new_condition_is_raised_once() -> None:
    first = reconcile(standing("queue:SOC"), [])
    assert [c.key for c in first.raise_] == ["queue:SOC"]
    again = reconcile(standing("queue:SOC"), [Stored("queue:SOC", False, False)])
    assert again.raise_ == [] and again.clear == [] and again.recur == []


def test_a_condition_that_goes_away_is_marked_cleared_but_stays() -> None:
    changes = reconcile([], [Stored("queue:SOC", False, False)])
    assert changes.clear == ["queue:SOC"] and changes.raise_ == []
    back = reconcile(standing("queue:SOC"), [Stored("queue:SOC", False, True)])
    assert back.recur == ["queue:SOC"] and back.raise_ == [], "the same alert, not a second"


def test_acknowledged_while_standing_is_not_raised_again() -> None:
    changes = reconcile(standing("queue:SOC"), [Stored("queue:SOC", True, False)])
    assert changes.raise_ == [] and changes.recur == []


def test_after_acknowledgement_and_clearing_the_same_trouble_raises_anew() -> None:
    assert reconcile([], [Stored("queue:SOC", True, False)]).clear == ["queue:SOC"]
    anew = reconcile(standing("queue:SOC"), [Stored("queue:SOC", True, True)])
    assert [c.key for c in anew.raise_] == ["queue:SOC"]


def test_a_help_request_never_clears_by_itself() -> None:
    assert reconcile([], [Stored("help_requested:7", False, False)]).clear == []
