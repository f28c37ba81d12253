"""A hall whose recorded history shows visitors with people ahead waiting much longer, and
more unpredictably, than the midpoint they were told gets wider ranges at issue — read through
the API of a real server — than a hall with no history (the default table); each range is the
same visitor's at the same instant. On SQLite and PostgreSQL (the payloads are JSON)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.estimate_calibration import DEFAULT_RESIDUALS
from queue_server.services.attendance import AttendanceService
from tests.live.helpers import quick_settings
from tests.support.api import Api
from tests.support.auth import clerk_at, duty_lead_headers
from tests.support.estimate_history import DAY_START, play_history, working_days_before
from tests.support.factories import OPEN_MORNING, make_services, small_hall
from tests.support.live_server import live_server

HISTORY_DAYS = 15  # two queued visitors a day: 30 outcomes, the minimum a bucket needs


@pytest.fixture
def services(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, small_hall("test"), small_hall("fresh"), clock=clock)
    yield built
    built.db.engine.dispose()


def test_late_waits_in_the_history_widen_the_range(
    services: Services, clock: ManualClock, tmp_path: Path
) -> None:
    today = OPEN_MORNING.date()
    clerk = clerk_at(services, 2)
    # Every queued visitor was called 10 to 68 minutes after the midpoint they were told.
    days = working_days_before(services, "test", today, HISTORY_DAYS)
    play_history(services, clock, clerk.user_id, days, lambda n: 10 + 2 * n)
    fresh_clerk = clerk_at(services, 2, hall="fresh", staff_no="9002")

    clock.set(services.halls.get("test").calendar.at(today, DAY_START))
    for hall, user in (("test", clerk.user_id), ("fresh", fresh_clerk.user_id)):
        AttendanceService(services.db, services.halls, clock).sign_in(hall, 2, user)
    with live_server(create_app(services, quick_settings(voice_dir=tmp_path))) as server:
        told = {}
        for hall in ("test", "fresh"):
            api = Api(server.url, hall=hall, headers=duty_lead_headers(services, hall))
            try:
                first = api.ticket("TAX")
                second = api.ticket("TAX")
            finally:
                api.http.close()
            assert first["ahead"] == 0 and first["estimated_wait"]["about_minutes"] is not None
            assert second["ahead"] == 1
            told[hall] = second["estimated_wait"]
    history, fresh = told["test"], told["fresh"]
    fitted = services.queue.calibrations.for_hall(services.halls.get("test"))
    assert (fitted.source, fitted.samples) == ("hall", 2 * HISTORY_DAYS)
    assert history["basis"] == fresh["basis"] == "calibrated"
    default_low, default_high = DEFAULT_RESIDUALS[1]
    fresh_width = fresh["high_minutes"] - fresh["low_minutes"]
    assert fresh_width <= default_high - default_low + 2
    history_width = history["high_minutes"] - history["low_minutes"]
    # Residuals 10..68: their 10 % and 90 % quantiles are about 15.8 and 62.2.
    assert history_width >= 45 > fresh_width
    assert history["low_minutes"] >= 15
    assert history["text"] == f"{history['low_minutes']}-{history['high_minutes']} min"
