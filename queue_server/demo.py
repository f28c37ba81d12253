"""The demo hall: the shipped example hall, open whenever the demo runs."""

from __future__ import annotations

from pathlib import Path

from queue_server.config import HallConfig, load_hall_config

EXAMPLE_CONFIG = Path(__file__).parent / "config" / "hall.example.toml"


def demo_hall_config() -> HallConfig:
    """A newcomer trying the demo at 22:00 on a Sunday must not meet a closed hall."""
    base = load_hall_config(EXAMPLE_CONFIG)
    hall = base.hall.model_copy(
        update={
            "sessions": [("00:00", "24:00")],
            "working_weekdays": [1, 2, 3, 4, 5, 6, 7],
            "national_calendar": "none",
            "holidays": [],
            "makeup_working_days": [],
            "issue_cutoff_minutes": 0,
        }
    )
    # The demo bookings of today sit in the next slot: an hour-wide arrival window lets them
    # check in at once, whenever the demo starts (issue 6).
    appointments = base.appointments.model_copy(update={"arrive_early_minutes": 60})
    return base.model_copy(update={"hall": hall, "appointments": appointments})
