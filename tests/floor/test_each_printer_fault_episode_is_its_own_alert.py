"""Every printer fault episode reaches the duty lead as its own alert with its start and its
recovery: a second paper-out the same day is a second row, and a fault that came and went
between two evaluations is still recorded. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.alerts import PrinterReport, printer_episodes
from queue_server.domain.clock import ManualClock
from queue_server.services.alerts import AlertService, AlertView
from queue_server.services.devices import DeviceService, StatusReport
from tests.floor.conftest import floor_hall
from tests.support.factories import local, make_services

T0 = local(2026, 11, 25, 10, 0)


def test_reports_split_into_episodes() -> None:
    at = [T0 + timedelta(minutes=m) for m in range(7)]
    reports = [
        PrinterReport(at[0], "ok"),
        PrinterReport(at[1], "paper_out", fault=True),
        PrinterReport(at[2], "paper_out"),
        PrinterReport(at[3], "ok"),
        PrinterReport(at[4], "unknown", fault=True),  # an older kiosk's failed job
        PrinterReport(at[5], "fault", fault=True),
        PrinterReport(at[6], "ok"),
    ]
    episodes = printer_episodes("kiosk-1", reports)
    assert [(e.state, e.start, e.end, e.failed_jobs) for e in episodes] == [
        ("paper_out", at[1], at[3], 1),
        ("fault", at[4], at[6], 2),
    ]


@pytest.fixture
def hall(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, floor_hall(), clock=clock)
    yield built
    built.db.engine.dispose()


def _report(devices: DeviceService, state: str, fault: str | None = None) -> None:
    devices.report_status(
        "test",
        "kiosk-1",
        StatusReport(
            printer=state,  # type: ignore[arg-type]
            fault=fault,
            ticket="A001",
        ),
    )


def _printer_alerts(alerts: AlertService) -> list[AlertView]:
    return sorted(
        (a for a in alerts.today("test") if a.rule.startswith("printer_")), key=lambda a: a.since
    )


def test_two_paper_outs_and_a_passing_fault_are_three_alerts(
    hall: Services, clock: ManualClock
) -> None:
    services = hall
    clock.set(T0)
    devices = DeviceService(services.db, services.halls, clock)
    alerts = AlertService(services.db, services.halls, clock)
    _report(devices, "ok")
    alerts.evaluate("test")

    clock.advance(timedelta(minutes=1))
    _report(devices, "paper_out", "printer paper_out: paper ran out during the job")
    alerts.evaluate("test")
    [first] = _printer_alerts(alerts)
    assert (first.rule, first.since, first.cleared_at) == ("printer_paper_out", clock.now(), None)
    assert (first.title_zh, first.severity) == ("打印机缺纸", "urgent")

    clock.advance(timedelta(minutes=4))
    _report(devices, "ok")  # paper loaded
    recovered = clock.now()
    clock.advance(timedelta(seconds=30))
    alerts.evaluate("test")
    [first] = _printer_alerts(alerts)
    assert first.cleared_at == recovered

    clock.advance(timedelta(minutes=30))
    _report(devices, "paper_out", "printer paper_out: paper ran out during the job")
    second_start = clock.now()
    alerts.evaluate("test")

    clock.advance(timedelta(minutes=2))
    _report(devices, "ok")
    clock.advance(timedelta(minutes=10))
    _report(devices, "fault", "printer fault: no answer after the data: the job did not come out")
    fault_start = clock.now()
    clock.advance(timedelta(minutes=1))
    _report(devices, "ok")  # back before anyone evaluated
    fault_end = clock.now()
    alerts.evaluate("test")

    rows = _printer_alerts(alerts)
    assert [(a.rule, a.since) for a in rows] == [
        ("printer_paper_out", first.since),
        ("printer_paper_out", second_start),
        ("printer_fault", fault_start),
    ]
    assert all(a.cleared_at is not None for a in rows)
    assert rows[2].cleared_at == fault_end
    assert rows[2].title_zh == "打印故障"
    assert rows[2].detail["failed_jobs"] == 1

    alerts.evaluate("test")  # nothing new: no duplicate rows
    assert len(_printer_alerts(alerts)) == 3
