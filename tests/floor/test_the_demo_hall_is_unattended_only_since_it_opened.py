"""The demo hall is open whenever the demo runs, so its session starts when the demo opened:
a window nobody staffs is unattended from then, not "since 00:05" of a day the demo did not
run. A retired device (a stopped simulator's display) is not reported offline."""

from __future__ import annotations

from queue_server.demo import demo_hall_config
from queue_server.domain.access import DeviceKind
from queue_server.domain.alerts import Rule
from queue_server.domain.clock import ManualClock
from queue_server.services.alerts import AlertService
from queue_server.services.device_tokens import DeviceTokens
from queue_server.services.devices import DeviceService, StatusReport
from queue_server.services.floor_view import read_floor
from tests.support.auth import clerk_at
from tests.support.factories import local, make_services


def test_an_unstaffed_window_is_unattended_from_the_demos_start(sqlite_url: str) -> None:
    opened = local(2026, 11, 25, 14, 17, 31)
    clock = ManualClock(opened)
    services = make_services(sqlite_url, demo_hall_config(opened), clock=clock)
    for window in range(2, 9):
        clerk_at(services, window, hall="demo")
    alerts = AlertService(services.db, services.halls, clock)
    hall = services.halls.get("demo")

    clock.set(local(2026, 11, 25, 14, 21))
    alerts.evaluate("demo")
    assert alerts.open_alerts("demo") == []  # within the grace after opening

    clock.set(local(2026, 11, 25, 14, 30))
    alerts.evaluate("demo")
    [unattended] = alerts.open_alerts("demo")
    assert unattended.rule == Rule.WINDOW_UNATTENDED.value and unattended.window == 1
    assert unattended.detail["minutes"] == 13
    with services.db.read() as session:
        floor = read_floor(session, hall, clock.now(), estimates=False)
    [one] = [w for w in floor.windows if w.number == 1]
    assert one.unattended_since == local(2026, 11, 25, 14, 17)
    # The next day the demo, still running, has been open since midnight.
    clock.set(local(2026, 11, 26, 0, 30))
    with services.db.read() as session:
        floor = read_floor(session, hall, clock.now(), estimates=False)
    assert floor.in_hours
    services.db.engine.dispose()


def test_a_retired_device_that_reported_today_is_not_offline(sqlite_url: str) -> None:
    clock = ManualClock(local(2026, 11, 25, 14, 0))
    services = make_services(sqlite_url, demo_hall_config(clock.now()), clock=clock)
    devices = DeviceTokens(services.db, clock)
    devices.add("demo", DeviceKind.DISPLAY, 2, "sim-display-2")
    devices.add("demo", DeviceKind.DISPLAY, 3, "display-3")
    reports = DeviceService(services.db, services.halls, clock)
    reports.report_status("demo", "sim-display-2", StatusReport(kind="display"))
    reports.report_status("demo", "display-3", StatusReport(kind="display"))
    devices.revoke("demo", "sim-display-2")
    clock.set(local(2026, 11, 25, 14, 10))
    alerts = AlertService(services.db, services.halls, clock)
    alerts.evaluate("demo")
    offline = [a.device for a in alerts.open_alerts("demo") if a.rule == Rule.DEVICE_OFFLINE.value]
    assert offline == ["display-3"]
    services.db.engine.dispose()
