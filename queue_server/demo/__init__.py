"""The demo hall: the shipped example hall, open whenever the demo runs."""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from queue_server.config import HallConfig, load_hall_config

EXAMPLE_CONFIG = Path(__file__).parent.parent / "config" / "hall.example.toml"
# The window the live demo leaves to a person: no simulated clerk signs in there, and the
# printed console command names it. Window 1 (social insurance) serves the SOC number the
# printed curl line takes.
PERSON_WINDOW = 1


def demo_sessions(opened_at: datetime | None, timezone: str) -> list[tuple[str, str]]:
    """Open all day, in sessions split at the minute the demo opened and at the next hour.

    The floor counts a window unattended from the start of the current session: from the
    demo's own start, not from 00:00 of a day the demo did not run (docs/floor-monitor.md).
    The next split, on the hour, keeps the booking slots on the hour (a slot never crosses a
    session's end); the session before the opening keeps the hall open across midnight for a
    demo left running.
    """
    if opened_at is None:
        return [("00:00", "24:00")]
    local = opened_at.astimezone(ZoneInfo(timezone))
    split = f"{local:%H:%M}"
    following = f"{local.hour + 1:02d}:00"
    bounds = ["00:00", split, following, "24:00"]
    if local.minute == 0 or following == "24:00":
        bounds.remove(following)
    if split == "00:00":
        bounds.remove(split)
    return list(pairwise(bounds))


def demo_hall_config(opened_at: datetime | None = None) -> HallConfig:
    """A newcomer trying the demo at 22:00 on a Sunday must not meet a closed hall."""
    base = load_hall_config(EXAMPLE_CONFIG)
    hall = base.hall.model_copy(
        update={
            "sessions": demo_sessions(opened_at, base.hall.timezone),
            "working_weekdays": [1, 2, 3, 4, 5, 6, 7],
            "national_calendar": "none",
            "holidays": [],
            "makeup_working_days": [],
            "issue_cutoff_minutes": 0,
            # The hall opens the minute the demo starts: whoever signs in at the printed
            # window within its first hour is on time, not "4 minutes late" at once.
            "late_after_minutes": 60,
        }
    )
    # The demo bookings of today sit in the next slot: an hour-wide arrival window lets them
    # check in at once, whenever the demo starts (docs/appointments.md).
    appointments = base.appointments.model_copy(update={"arrive_early_minutes": 60})
    return base.model_copy(update={"hall": hall, "appointments": appointments})
