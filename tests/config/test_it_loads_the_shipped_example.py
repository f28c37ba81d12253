"""The commented example that ships in the repo is a valid hall."""

from __future__ import annotations

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG, demo_hall_config
from tests.support.factories import local


def test_the_example_has_a_dozen_services_and_eight_windows() -> None:
    config = load_hall_config(EXAMPLE_CONFIG)
    assert len(config.services) >= 12
    assert len(config.windows) == 8
    assert any(w.comprehensive and w.rotation for w in config.windows)
    assert config.hall.sessions == [("09:00", "12:00"), ("14:00", "18:00")]


def test_the_demo_hall_is_open_at_ten_at_night_on_a_sunday() -> None:
    calendar = demo_hall_config().hall.calendar()
    assert calendar.status(local(2026, 11, 29, 22, 0)).is_open
