"""The follow-up steps of a bad rating are reported as they happen, each once: a fix
recorded before the contact goes first, the contact after it, the closing last."""

from __future__ import annotations

from datetime import timedelta

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.domain.rating import Level
from queue_server.services.follow_ups import FollowUpService
from queue_server.services.haocha import HaochaReporter
from tests.support.haocha import RatedVisits, lead_actor
from tests.support.haocha_receiver import HaochaReceiver


def test_steps_are_reported_in_the_order_they_happened(
    reporting: Services,
    reporter: HaochaReporter,
    visits: RatedVisits,
    receiver: HaochaReceiver,
    clock: ManualClock,
) -> None:
    receiver.up()
    rating = visits.rate(Level.DISSATISFIED, phone="13600002222")
    follow_ups = FollowUpService(reporting.db, reporting.halls, clock)
    [follow_up] = follow_ups.list("test")
    lead = lead_actor(reporting)
    assert reporter.run_once() == 1

    clock.advance(timedelta(hours=2))
    follow_ups.record_fix("test", follow_up.id, "form simplified", lead)
    fixed_at = clock.now()
    assert reporter.run_once() == 1
    clock.advance(timedelta(hours=1))
    follow_ups.record_contact("test", follow_up.id, "visitor informed", lead)
    assert reporter.run_once() == 1
    clock.advance(timedelta(hours=1))
    follow_ups.close("test", follow_up.id, "visitor content", lead)
    assert reporter.run_once() == 1
    assert reporter.run_once() == 0  # nothing twice

    records = list(receiver.received.records.values())
    assert [r["recordType"] for r in records] == ["1", "3", "2", "4"]
    evaluation = f"test-{rating}"
    assert {r["evaluationId"] for r in records} == {evaluation}
    assert records[1]["recordId"] == f"{evaluation}-rectification-{int(fixed_at.timestamp())}"
    assert [r.get("rectification") for r in records[1:]] == [
        "form simplified", "visitor informed", "visitor content",
    ]  # fmt: skip
    assert records[1]["userCode"] == "L201"  # who took the step
    assert records[0]["userCode"] == "C101"  # the clerk the rating is about
