"""Numbers restart at the hall's local midnight, per prefix, never by UTC."""

from __future__ import annotations

from datetime import date

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.tickets import IssueRequest
from tests.support.factories import local, make_services, small_hall


def test_2359_and_0001_local_are_different_days(sqlite_url: str) -> None:
    # An always-open hall so that both instants may issue.
    config = small_hall()
    hall = config.hall.model_copy(
        update={
            "sessions": [("00:00", "24:00")],
            "working_weekdays": [1, 2, 3, 4, 5, 6, 7],
            "issue_cutoff_minutes": 0,
        }
    )
    clock = ManualClock(local(2026, 11, 25, 23, 59))
    services: Services = make_services(
        sqlite_url, config.model_copy(update={"hall": hall}), clock=clock
    )
    late = services.queue.issue("test", IssueRequest("SOC")).ticket
    clock.set(local(2026, 11, 26, 0, 1))
    early = services.queue.issue("test", IssueRequest("SOC")).ticket
    assert late.number == early.number == "A001"
    assert services.queue.get_ticket(late.id).issued_at.date() == date(2026, 11, 25)
    with services.db.read() as session:
        from queue_server.storage.tables import Ticket

        days = {session.get(Ticket, t.id).business_day for t in (late, early)}  # type: ignore[union-attr]
    assert days == {date(2026, 11, 25), date(2026, 11, 26)}


def test_prefixes_count_separately(services: Services) -> None:
    numbers = [
        services.queue.issue("test", IssueRequest(code)).ticket.number
        for code in ("SOC", "TAX", "SOC", "RES")
    ]
    assert numbers == ["A001", "B001", "A002", "C001"]
