"""The alert service on SQLite and PostgreSQL: a condition raises one alert however often it
is judged; gone, it is marked cleared but stays open; acknowledged with a note, it leaves;
back again later, it is a new alert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from queue_server.api.deps import Services
from queue_server.domain.access import Role
from queue_server.domain.clock import ManualClock
from queue_server.domain.errors import RuleViolation
from queue_server.services.alerts import AlertService
from queue_server.services.event_log import Actor
from queue_server.services.tickets import IssueRequest
from tests.floor.conftest import floor_hall
from tests.support.auth import clerk_at, staff_login
from tests.support.factories import make_services


@pytest.fixture
def hall(database_url: str, clock: ManualClock) -> Iterator[Services]:
    built = make_services(database_url, floor_hall(queue_over=2), clock=clock)
    for window in (1, 2, 3):
        clerk_at(built, window)  # no unattended windows in this test
    yield built
    built.db.engine.dispose()


def queue_alerts(alerts: AlertService) -> list[tuple[bool, bool]]:
    """(cleared, acknowledged) of every TAX queue alert of today."""
    return [
        (a.cleared_at is not None, a.acknowledged_at is not None)
        for a in alerts.today("test")
        if a.rule == "queue_over_limit"
    ]


def test_the_life_of_an_alert(hall: Services, clock: ManualClock) -> None:
    alerts = AlertService(hall.db, hall.halls, hall.clock)
    lead = staff_login(hall, Role.DUTY_LEAD)
    for _ in range(3):
        hall.queue.issue("test", IssueRequest("TAX"))
    alerts.evaluate("test")
    alerts.evaluate("test")
    assert queue_alerts(alerts) == [(False, False)]

    called = hall.queue.call_next("test", 2)
    assert called is not None
    alerts.evaluate("test")
    assert queue_alerts(alerts) == [(True, False)], "cleared, still on the list"
    [open_alert] = [a for a in alerts.open_alerts("test") if a.rule == "queue_over_limit"]

    with pytest.raises(RuleViolation) as refused:
        alerts.acknowledge("test", open_alert.id, "  ", Actor(clerk=lead.user_id))
    assert refused.value.code == "note_required"
    done = alerts.acknowledge("test", open_alert.id, "2号窗口已叫号", Actor(clerk=lead.user_id))
    assert (done.note, done.acknowledged_by) == ("2号窗口已叫号", lead.user_id)
    assert [a for a in alerts.open_alerts("test") if a.rule == "queue_over_limit"] == []
    with pytest.raises(RuleViolation):
        alerts.acknowledge("test", open_alert.id, "again", Actor(clerk=lead.user_id))

    clock.advance(timedelta(minutes=5))
    for _ in range(2):
        hall.queue.issue("test", IssueRequest("TAX"))
    alerts.evaluate("test")
    assert sorted(queue_alerts(alerts)) == [(False, False), (True, True)]
