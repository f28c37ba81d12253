"""Runs of one month at the same time both land (the second counts as a re-run); a run that
computed while the month was being closed is refused instead of overwriting the frozen copy."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from queue_server.domain.clock import ManualClock
from queue_server.services.errors import Conflict
from queue_server.services.event_log import SYSTEM
from tests.assessment.month_support import assessment, script_november
from tests.support.factories import local, make_services, small_hall


def test_parallel_first_runs(database_url: str, clock: ManualClock) -> None:
    services = make_services(database_url, small_hall(), clock=clock)
    script_november(services, clock)
    clock.set(local(2026, 12, 1, 9, 0))
    service = assessment(services)
    with ThreadPoolExecutor(4) as pool:
        records = list(pool.map(lambda _: service.run_month("test", "2026-11", SYSTEM), range(4)))
    assert sorted(r.runs for r in records) == [1, 2, 3, 4]
    assert len({str(r.result) for r in records}) == 1
    services.db.engine.dispose()


def test_a_run_finishing_after_the_close_is_refused(
    database_url: str, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = make_services(database_url, small_hall(), clock=clock)
    script_november(services, clock)
    clock.set(local(2026, 12, 1, 9, 0))
    service = assessment(services)
    compute = service.compute

    def slow_compute(hall_id: str, month: str, progress: object = None) -> object:
        result = compute(hall_id, month)
        # Supervision closes the month while this run is still computing.
        monkeypatch.setattr(service, "compute", compute)
        service.close_month(hall_id, month, SYSTEM)
        return result

    monkeypatch.setattr(service, "compute", slow_compute)
    with pytest.raises(Conflict) as refused:
        service.run_month("test", "2026-11", SYSTEM)
    assert refused.value.code == "month_closed"
    assert service.month("test", "2026-11").runs == 1
    services.db.engine.dispose()
