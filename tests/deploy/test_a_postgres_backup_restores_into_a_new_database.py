"""pg_dump of the hall's schema, pg_restore into a database created for the test (dropped
afterwards; no other database or schema is touched): the chains verify and the hall works
on from where it was."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from queue_server.deploy.backup import backup, restore
from queue_server.domain.clock import ManualClock
from queue_server.services.tickets import IssueRequest
from tests.conftest import need
from tests.deploy.hall_day import a_busy_morning, counts
from tests.support.factories import make_services, small_hall


@pytest.fixture
def empty_database(postgres_url: str) -> Iterator[str]:
    """A new, empty database on the same server, reached with the same search_path."""
    url = make_url(postgres_url)
    name = f"hallq_restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(query={}), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_round_trip(
    postgres_url: str, empty_database: str, clock: ManualClock, tmp_path: Path
) -> None:
    need(shutil.which("pg_dump") is not None, "pg_dump is not installed (postgresql-client)")
    services = make_services(postgres_url, small_hall(), clock=clock)
    try:
        a_busy_morning(services)
        before = counts(services)
        saved = backup(postgres_url, tmp_path, keep=2, now=clock.now())
    finally:
        services.db.engine.dispose()
    assert saved.suffix == ".pgdump"

    result = restore(saved, empty_database)
    assert result.intact and result.chains[0].events == before[1]
    back = make_services(empty_database, small_hall(), clock=clock)
    try:
        assert counts(back) == before
        assert back.queue.issue("test", IssueRequest("SOC")).ticket.number == "A003"
    finally:
        back.db.engine.dispose()
