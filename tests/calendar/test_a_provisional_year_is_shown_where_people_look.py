"""A year whose national arrangement is not known yet is named in the server's log at start-up
and on the duty lead's floor monitor (docs/calendar.md); a published year is not."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from queue_server.api.app import create_app
from queue_server.domain.clock import ManualClock
from tests.live.helpers import quick_settings
from tests.support.auth import duty_lead_headers
from tests.support.factories import example_hall, make_services
from tests.support.live_server import live_server

SHANGHAI = ZoneInfo("Asia/Shanghai")


def floor_years(sqlite_url: str, tmp_path_voice: str, at: datetime) -> list[int]:
    services = make_services(sqlite_url, example_hall(), clock=ManualClock(at))
    try:
        app = create_app(services, quick_settings(voice_dir=tmp_path_voice))
        with live_server(app) as server:
            answer = httpx.get(
                f"{server.url}/api/v1/halls/demo/floor",
                headers=duty_lead_headers(services, "demo"),
                timeout=30,
            )
        assert answer.status_code == 200, answer.text
        years: list[int] = answer.json()["provisional_calendar_years"]
        return years
    finally:
        services.db.engine.dispose()


def test_december_before_an_unknown_year_warns_in_the_log_and_on_the_floor(
    sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hallq.server"):
        years = floor_years(sqlite_url, str(tmp_path), datetime(2039, 12, 1, 10, tzinfo=SHANGHAI))
    assert 2040 in years
    warned = [r.getMessage() for r in caplog.records if r.name == "hallq.server"]
    assert any("hall demo" in m and "2040" in m for m in warned), warned


def test_a_published_year_raises_nothing(
    sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="hallq.server"):
        years = floor_years(sqlite_url, str(tmp_path), datetime(2026, 6, 1, 10, tzinfo=SHANGHAI))
    assert years == []
    assert not [r for r in caplog.records if r.name == "hallq.server"]
