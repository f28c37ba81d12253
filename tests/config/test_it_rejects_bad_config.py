"""A configuration error names the key and the reason."""

from __future__ import annotations

import pytest

from queue_server.config import ConfigError
from queue_server.config.loader import load_hall_config, parse_hall_config
from queue_server.demo import EXAMPLE_CONFIG

GOOD = EXAMPLE_CONFIG.read_text(encoding="utf-8")


def problems_of(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_hall_config(text)
    return "; ".join(caught.value.problems)


def test_it_names_an_unknown_key() -> None:
    text = GOOD.replace('timezone = "Asia/Shanghai"', 'timezone = "Asia/Shanghai"\ncolour = 1')
    assert "hall.colour: unknown key" in problems_of(text)


def test_it_names_a_wrong_type() -> None:
    text = GOOD.replace("issue_cutoff_minutes = 30", 'issue_cutoff_minutes = "half an hour"')
    assert "hall.issue_cutoff_minutes" in problems_of(text)


def test_it_refuses_an_unknown_time_zone() -> None:
    text = GOOD.replace('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"')
    assert "unknown time zone 'Mars/Olympus'" in problems_of(text)


def test_it_refuses_a_bad_ticket_prefix() -> None:
    text = GOOD.replace('prefix = "A"', 'prefix = "a1"', 1)
    assert "services[0].prefix" in problems_of(text)


def test_it_refuses_a_window_serving_an_unknown_service() -> None:
    text = GOOD.replace("services = { SOC = 3, MED = 1 }", "services = { SOC = 3, XYZ = 1 }")
    assert "window 1 serves unknown services ['XYZ']" in problems_of(text)


def test_it_refuses_overlapping_sessions() -> None:
    text = GOOD.replace(
        '[["09:00", "12:00"], ["14:00", "18:00"]]', '[["09:00", "15:00"], ["14:00", "18:00"]]'
    )
    assert "overlaps" in problems_of(text)


def test_it_reports_broken_toml_with_its_line() -> None:
    assert "not valid TOML" in problems_of("[hall\nid = 1")


def test_it_reports_a_missing_file() -> None:
    with pytest.raises(ConfigError) as caught:
        load_hall_config("/nonexistent/hall.toml")
    assert "cannot read the file" in str(caught.value)
