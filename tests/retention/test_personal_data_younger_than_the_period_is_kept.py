"""The purge goes by age and by the hall's own `[retention]` days: a follow-up opened 20
days ago keeps its phone under the default 30 days, one opened 40 days ago loses it, and
with `visit_days = 60` neither is touched."""

from __future__ import annotations

from datetime import timedelta

from queue_server.config.loader import parse_hall_config
from queue_server.domain.clock import ManualClock
from queue_server.services.retention import RetentionService
from tests.retention.visits import bad_visit, find
from tests.support.factories import SMALL_HALL, make_services, small_hall

OLD = ("王五", "13700000001", "310101198001010011")
RECENT = ("赵六", "13700000002", "310101198001010022")


def test_age_and_configured_days_decide(sqlite_url: str, clock: ManualClock) -> None:
    services = make_services(sqlite_url, small_hall(), clock=clock)
    bad_visit(services, *OLD)
    clock.advance(timedelta(days=20))
    bad_visit(services, *RECENT)
    clock.advance(timedelta(days=20))

    patient = parse_hall_config(
        SMALL_HALL.format(hall_id="test", guard=20, ratio="", cap="")
        + "\n[retention]\nvisit_days = 60\n",
        "<patient hall>",
    )
    kept = make_services(sqlite_url, patient, clock=clock)
    assert RetentionService(kept.db, kept.halls, clock).purge("test").total == 0
    assert find(services, [OLD[1], RECENT[1]]) != []

    RetentionService(services.db, services.halls, clock).purge("test")
    assert find(services, list(OLD)) == []
    assert {hit.split(": ")[1] for hit in find(services, list(RECENT))} == set(RECENT)
    services.db.engine.dispose()
    kept.db.engine.dispose()
