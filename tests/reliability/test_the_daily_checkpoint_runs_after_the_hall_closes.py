"""The end-of-day checkpoint: `hallq-checkpoint.timer` fires every day, after the example
hall's last session has ended (so the day's events are all in the head it signs), and its
service signs every hall's head with reason `day`."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

from queue_server.config import load_hall_config
from queue_server.demo import EXAMPLE_CONFIG

SYSTEMD = Path(__file__).resolve().parents[2] / "systemd"


def test_the_timer_fires_daily_after_closing() -> None:
    timer = (SYSTEMD / "hallq-checkpoint.timer").read_text("utf-8")
    (when,) = re.findall(r"^OnCalendar=(.+)$", timer, re.M)
    match = re.fullmatch(r"\*-\*-\* (\d\d):(\d\d):(\d\d)", when.strip())
    assert match, f"not a daily time: {when}"  # every day, weekends and holidays too
    fires = time(*(int(g) for g in match.groups()))
    last_close = max(end for _, end in load_hall_config(EXAMPLE_CONFIG).hall.sessions)
    hour, minute = (int(p) for p in last_close.split(":"))
    assert fires > time(hour, minute), (fires, last_close)
    assert "Persistent=true" in timer  # a day missed while the server was off runs at boot
    service = (SYSTEMD / "hallq-checkpoint.service").read_text("utf-8")
    assert "hallq audit checkpoint --reason day" in service
