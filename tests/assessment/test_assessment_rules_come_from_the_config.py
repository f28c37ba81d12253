"""The `[assessment]` section: DOMAIN.md's numbers by default, a hall's own where it says so,
and mistakes named."""

from __future__ import annotations

import pytest

from queue_server.config import ConfigError
from queue_server.config.loader import parse_hall_config
from queue_server.demo import EXAMPLE_CONFIG
from queue_server.domain.assessment.rules import DEFAULT_RULES
from tests.support.factories import SMALL_HALL

BASE = SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap="")


def test_the_shipped_example_states_the_defaults() -> None:
    config = parse_hall_config(EXAMPLE_CONFIG.read_text("utf-8"))
    assert config.assessment.rules() == DEFAULT_RULES
    assert parse_hall_config(BASE).assessment.rules() == DEFAULT_RULES


def test_a_hall_sets_its_own_numbers() -> None:
    text = BASE.replace(
        "[[services]]",
        "[assessment]\nstaff_excellent_share = 0.1\nbonus_cap = 10\n"
        "staff_parts = { results = 30 }\n"
        'window_grades = { good = 85, "pass" = 70 }\n'
        "points = { late = { staff = 3 }, pennant = { window = 4 } }\n\n[[services]]",
        1,
    )
    rules = parse_hall_config(text).assessment.rules()
    assert rules.staff_excellent_share == 0.1 and rules.bonus_cap == 10
    assert rules.staff_parts["results"] == 30 and rules.staff_parts["conduct"] == 20
    assert rules.window_grades.grade(84) == "pass" and rules.window_grades.grade(69) == "fail"
    assert rules.kind("late").staff is not None and rules.kind("late").staff.points == -3
    assert rules.kind("pennant").window is not None and rules.kind("pennant").window.points == 4


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ("points = { bribe = { staff = 1 } }", "unknown assessment kinds ['bribe']"),
        ("points = { pennant = { staff = 1 } }", "'pennant' does not score staff"),
        ("staff_grades = { competent = 95 }", "grade bounds must fall"),
        ("staff_excellent_share = 2", "staff_excellent_share"),
        ("colour = 1", "assessment.colour"),
    ],
)
def test_mistakes_are_named(section: str, problem: str) -> None:
    text = BASE.replace("[[services]]", f"[assessment]\n{section}\n\n[[services]]", 1)
    with pytest.raises(ConfigError) as caught:
        parse_hall_config(text)
    assert problem in "; ".join(caught.value.problems)
