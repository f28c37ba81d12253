"""A hall whose rules give clerks a grace period sets `late_after_minutes`: a sign-in inside it
is on time, the first minute past it is late by the minutes since the session began. The demo
hall opens the minute `hallq demo` starts and allows an hour, so the newcomer who signs in at
the printed window is not told "4 minutes late" (seen on a real terminal)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from queue_server.api.deps import Services
from queue_server.config.models import HallConfig
from queue_server.demo import demo_hall_config
from queue_server.domain.access import Role
from queue_server.domain.attendance import Attendance
from queue_server.domain.clock import ManualClock
from tests.support.auth import staff_login
from tests.support.factories import local, make_services, small_hall


def with_grace(config: HallConfig, minutes: int) -> HallConfig:
    hall = config.hall.model_copy(update={"late_after_minutes": minutes})
    return config.model_copy(update={"hall": hall})


@pytest.fixture
def graceful(sqlite_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(sqlite_url, with_grace(small_hall(), 15), clock=clock)
    yield built
    built.db.engine.dispose()


def test_it_is_on_time_inside_the_grace_and_late_after_it(
    graceful: Services, clock: ManualClock
) -> None:
    first = staff_login(graceful, Role.CLERK)
    second = staff_login(graceful, Role.CLERK)
    clock.set(local(2026, 11, 25, 9, 14, 59))
    on_time = graceful.attendance.sign_in("test", 1, first.user_id)
    assert (on_time.attendance, on_time.minutes_late) == (Attendance.ON_TIME, 0)
    clock.set(local(2026, 11, 25, 9, 15))
    late = graceful.attendance.sign_in("test", 2, second.user_id)
    assert (late.attendance, late.minutes_late) == (Attendance.LATE, 15)


def test_the_default_is_one_minute(services: Services, clock: ManualClock) -> None:
    clerk = staff_login(services, Role.CLERK)
    clock.set(local(2026, 11, 25, 9, 1))
    late = services.attendance.sign_in("test", 1, clerk.user_id)
    assert (late.attendance, late.minutes_late) == (Attendance.LATE, 1)


def test_the_demo_newcomer_signs_in_on_time(sqlite_url: str, clock: ManualClock) -> None:
    opened = local(2026, 12, 4, 1, 26)
    clock.set(opened)
    demo = make_services(sqlite_url, demo_hall_config(opened), clock=clock)
    try:
        clerk = staff_login(demo, Role.CLERK, hall="demo")
        clock.set(local(2026, 12, 4, 1, 30))  # read the printout, opened the console
        signed = demo.attendance.sign_in("demo", 1, clerk.user_id)
        assert signed.attendance is Attendance.ON_TIME
    finally:
        demo.db.engine.dispose()
