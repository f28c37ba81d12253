"""`[floor]` in a hall's TOML: documented defaults, and a wrong value named at start-up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from queue_server.config.loader import ConfigError, load_hall_config, parse_hall_config

EXAMPLE = Path(__file__).parents[2] / "queue_server" / "config" / "hall.example.toml"


def test_the_example_hall_spells_out_the_defaults() -> None:
    floor = load_hall_config(EXAMPLE).floor
    assert floor.queue_over == 15
    assert floor.pause_limit_minutes["break"] == 15
    assert (floor.cover_min_minutes, floor.cover_max_minutes) == (30, 120)
    assert floor.thresholds().pause_limit("meeting").total_seconds() == 3600


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("queue_over = 0", "floor.queue_over"),
        ("cover_min_minutes = 200", "cover_min_minutes"),
        ("alert_everyone = true", "floor.alert_everyone"),
    ],
)
def test_a_wrong_value_is_named(line: str, named: str) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    key = line.split(" = ")[0]
    if re.search(rf"^{key} = ", text, flags=re.M):
        text = re.sub(rf"^{key} = .*$", line, text, count=1, flags=re.M)
    else:
        text = text.replace("[floor]", f"[floor]\n{line}", 1)
    with pytest.raises(ConfigError) as refused:
        parse_hall_config(text, "hall.toml")
    assert named in str(refused.value)
