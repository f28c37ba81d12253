"""The frozen copy of a closed month (rules and result as JSON) reads back to the same values,
and a month is named YYYY-MM."""

from __future__ import annotations

import json

import pytest

from queue_server.domain.assessment.rules import DEFAULT_RULES, rules_from_dict, rules_to_dict
from queue_server.domain.errors import RuleViolation
from queue_server.domain.months import month_bounds, previous_month


def test_rules_survive_json() -> None:
    stricter = DEFAULT_RULES.with_points("late", 5, None).with_points("pennant", None, 4)
    for rules in (DEFAULT_RULES, stricter):
        assert rules_from_dict(json.loads(json.dumps(rules_to_dict(rules)))) == rules
    assert rules_to_dict(stricter)["kinds"]["late"]["staff"]["points"] == -5


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "0000-01", "9999-12", "x", "2026-11-01"])
def test_a_month_must_look_like_one(text: str) -> None:
    with pytest.raises(RuleViolation) as refused:
        month_bounds(text)
    assert refused.value.code == "invalid_month"


def test_month_bounds() -> None:
    assert [str(d) for d in month_bounds("2028-02")] == ["2028-02-01", "2028-02-29"]
    assert previous_month("2027-01") == "2026-12"
