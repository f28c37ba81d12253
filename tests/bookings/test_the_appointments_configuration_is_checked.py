"""`[appointments]` and `slot_capacity` are validated like the rest of the hall's file."""

from __future__ import annotations

import pytest

from queue_server.config import ConfigError
from queue_server.config.loader import parse_hall_config
from queue_server.demo import EXAMPLE_CONFIG

GOOD = EXAMPLE_CONFIG.read_text(encoding="utf-8")


def problems_of(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_hall_config(text)
    return "; ".join(caught.value.problems)


def test_the_shipped_example_takes_bookings() -> None:
    config = parse_hall_config(GOOD)
    assert config.appointments.slot_minutes == 60
    assert config.appointments.horizon_working_days == 5
    assert [s.code for s in config.services if s.slot_capacity] == ["SOC", "MED", "RES"]


def test_a_webhook_must_be_signed() -> None:
    text = GOOD.replace('# webhook_url = "https', 'webhook_url = "https', 1)
    assert "webhook_url needs webhook_secret_file" in problems_of(text)


def test_the_horizon_is_at_least_the_next_working_day() -> None:
    text = GOOD.replace("horizon_working_days = 5", "horizon_working_days = 0")
    assert "appointments.horizon_working_days" in problems_of(text)


def test_a_slot_capacity_is_positive() -> None:
    text = GOOD.replace("slot_capacity = 4", "slot_capacity = 0")
    assert "services[0].slot_capacity" in problems_of(text)


def test_an_unknown_key_in_the_section_is_named() -> None:
    text = GOOD.replace("slot_minutes = 60", "slot_minutes = 60\nslots = 3")
    assert "appointments.slots: unknown key" in problems_of(text)
