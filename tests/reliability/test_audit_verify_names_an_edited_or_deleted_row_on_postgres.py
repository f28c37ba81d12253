"""Tamper evidence on PostgreSQL: `hallq audit verify` names the edited or deleted row in the
middle of the log (the SQLite cases are tests/cli/test_audit_verify_names_the_broken_event.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from queue_server.api.deps import Services
from queue_server.services.tickets import IssueRequest
from tests.cli.test_audit_verify_names_the_broken_event import verify
from tests.support.factories import make_services, small_hall


@pytest.fixture
def pg_services(postgres_url: str) -> Iterator[Services]:
    built = make_services(postgres_url, small_hall())
    for _ in range(6):
        built.queue.issue("test", IssueRequest("SOC"))
    yield built
    built.db.engine.dispose()


def test_an_edited_payload_in_the_middle_is_named(pg_services: Services, postgres_url: str) -> None:
    assert verify(postgres_url).returncode == 0
    with pg_services.db.engine.begin() as conn:
        conn.execute(
            text("""UPDATE events SET payload = '{"number": "A001", "service": "TAX"}' """
                 "WHERE seq = 3")
        )  # fmt: skip
    result = verify(postgres_url)
    assert result.returncode == 1
    assert "chain BROKEN at event seq 3" in result.stdout


def test_a_row_deleted_in_the_middle_is_named(pg_services: Services, postgres_url: str) -> None:
    with pg_services.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM events WHERE seq = 4"))
    result = verify(postgres_url)
    assert result.returncode == 1
    assert "seq 4" in result.stdout
