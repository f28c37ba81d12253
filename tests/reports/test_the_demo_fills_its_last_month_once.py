"""The demo's last month is simulated only into a database that lacks it."""

from __future__ import annotations

from sqlalchemy import func, select

from queue_server.demo.month import fill_previous_month, previous_month
from queue_server.storage.tables import Event
from tests.reports.conftest import PlayedMonth
from tests.support.factories import local, small_hall


def test_a_month_already_there_is_left_alone(played: PlayedMonth, sqlite_url: str) -> None:
    with played.services.db.read() as session:
        before = session.scalar(select(func.count()).select_from(Event))
    message = fill_previous_month(sqlite_url, small_hall(), local(2026, 12, 3, 10, 0))
    assert "2026-11 is in the database" in message
    assert f"hallq report month 2026-11 --database {sqlite_url}" in message
    with played.services.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == before


def test_the_previous_month_crosses_the_year() -> None:
    assert str(previous_month(local(2027, 1, 5, 9, 0).date())) == "2026-12-01"
