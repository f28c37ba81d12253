"""`hallq audit verify` checks the event chain and names the first broken row."""

from __future__ import annotations

import subprocess

from sqlalchemy import text

from queue_server.api.deps import Services
from queue_server.services.tickets import IssueRequest
from tests.support.hallq_command import hallq


def verify(database_url: str) -> subprocess.CompletedProcess[str]:
    return hallq("audit", "verify", "--database", database_url, timeout=60)


def fill(services: Services) -> None:
    for _ in range(4):
        services.queue.issue("test", IssueRequest("SOC"))


def test_an_intact_log_passes(services: Services, sqlite_url: str) -> None:
    fill(services)
    result = verify(sqlite_url)
    assert result.returncode == 0, result.stderr
    assert "hall test: 4 events, chain intact" in result.stdout


def test_an_edited_event_is_named(services: Services, sqlite_url: str) -> None:
    fill(services)
    with services.db.engine.begin() as conn:
        conn.execute(text('UPDATE events SET payload = \'{"number": "A999"}\' WHERE seq = 2'))
    result = verify(sqlite_url)
    assert result.returncode == 1
    assert "chain BROKEN at event seq 2" in result.stdout


def test_a_deleted_event_is_named(services: Services, sqlite_url: str) -> None:
    fill(services)
    with services.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE seq = 3"))
    result = verify(sqlite_url)
    assert result.returncode == 1
    assert "seq 3" in result.stdout


def test_a_log_cut_short_at_its_end_is_named(services: Services, sqlite_url: str) -> None:
    fill(services)
    with services.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE seq = 4"))
    result = verify(sqlite_url)
    assert result.returncode == 1
    assert "seq 4" in result.stdout
