"""Manual entries name a known kind, the right target, and points only within a kind's range."""

from __future__ import annotations

import httpx
import pytest

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from tests.support.auth import staff_login
from tests.support.live_server import LiveServer


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"kind": "bribery"}, 422, "unknown_kind"),
        ({"kind": "late", "staff_no": "C1"}, 422, "not_manual"),
        ({"kind": "pennant", "staff_no": "C1"}, 422, "wrong_target"),
        ({"kind": "quarrel"}, 422, "target_required"),
        ({"kind": "meeting_absence", "staff_no": "C1", "points": 3}, 422, "points_out_of_range"),
        ({"kind": "quarrel", "window": 1, "points": 3}, 422, "fixed_points"),
        ({"kind": "quarrel", "window": 1, "day": "2026-12-01"}, 422, "invalid_day"),
        ({"kind": "quarrel", "window": 42}, 404, "not_found"),
        ({"kind": "quarrel", "staff_no": "NOBODY"}, 404, "not_found"),
        ({"kind": "meeting_absence", "staff_no": "C1", "points": 2}, 201, None),
    ],
)
def test_entry_checks(
    server: LiveServer, services: Services, body: dict[str, object], status: int, error: str | None
) -> None:
    supervisor = staff_login(services, Role.SUPERVISOR)
    staff_login(services, Role.CLERK, staff_no="C1")
    full = {"day": "2026-11-20", "reason": "督查记录", **body}
    answer = httpx.post(
        f"{server.url}/api/v1/halls/test/assessment/entries", json=full, headers=supervisor.headers
    )
    assert answer.status_code == status, answer.text
    if error:
        assert answer.json()["error"] == error
