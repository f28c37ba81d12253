"""A retried or concurrent submission with the same Idempotency-Key records one entry (or one
complaint); a reused key with other content is refused; a double reversal is refused.
On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.storage.assessment_tables import AssessmentEntry, Complaint
from tests.support.auth import staff_login
from tests.support.factories import make_services, small_hall
from tests.support.live_server import LiveServer, live_server


@pytest.fixture
def hall(database_url: str, clock: ManualClock) -> Iterator[tuple[Services, LiveServer]]:
    services = make_services(database_url, small_hall(), clock=clock)
    with live_server(create_app(services)) as server:
        yield services, server
    services.db.engine.dispose()


PENNANT = {"kind": "pennant", "day": "2026-11-20", "window": 2, "reason": "群众赠送锦旗"}


def test_concurrent_entries_with_one_key_make_one_entry(
    hall: tuple[Services, LiveServer],
) -> None:
    services, server = hall
    supervisor = staff_login(services, Role.SUPERVISOR)
    url = f"{server.url}/api/v1/halls/test/assessment/entries"
    headers = {**supervisor.headers, "Idempotency-Key": "pennant-2026-11-20"}

    def submit(_: int) -> httpx.Response:
        return httpx.post(url, json=PENNANT, headers=headers, timeout=30)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(submit, range(8)))
    assert sorted(a.status_code for a in answers) == [200] * 7 + [201]
    assert len({a.json()["id"] for a in answers}) == 1
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(AssessmentEntry)) == 1

    other = httpx.post(url, json={**PENNANT, "window": 3}, headers=headers)
    assert other.status_code == 409 and other.json()["error"] == "idempotency_key_reused"


def test_a_repeated_complaint_with_one_key_is_registered_once(
    hall: tuple[Services, LiveServer],
) -> None:
    services, server = hall
    lead = staff_login(services, Role.DUTY_LEAD)
    url = f"{server.url}/api/v1/halls/test/complaints"
    headers = {**lead.headers, "Idempotency-Key": "k1"}
    body = {"channel": "on_site", "content": "等候太久", "window": 1}
    first = httpx.post(url, json=body, headers=headers)
    second = httpx.post(url, json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Complaint)) == 1


def test_an_entry_is_reversed_once_and_both_rows_stay(
    hall: tuple[Services, LiveServer],
) -> None:
    services, server = hall
    supervisor = staff_login(services, Role.SUPERVISOR)
    base = f"{server.url}/api/v1/halls/test/assessment/entries"
    with httpx.Client(timeout=30, headers=supervisor.headers) as http:
        entry = http.post(base, json=PENNANT).json()
        reverse = f"{base}/{entry['id']}/reverse"

        def undo(_: int) -> httpx.Response:
            return http.post(reverse, json={"reason": "登记错窗口"})

        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(undo, range(4)))
        assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
        listed = http.get(base, params={"month": "2026-11"}).json()
    assert [(e["id"], e["in_force"], e["reversal_reason"]) for e in listed] == [
        (entry["id"], False, "登记错窗口")
    ]
    with services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(AssessmentEntry)) == 2
