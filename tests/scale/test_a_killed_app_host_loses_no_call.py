"""SIGKILL one app host (its supervisor and worker) while kiosks, clerks and boards of 100
halls work through the balancer: every client retries, nothing acknowledged is lost, no number
twice, no call twice, and every board resumes from its last sequence number without a gap."""

from __future__ import annotations

from tests.support.city import City
from tests.support.city_load import CityLoad, LoadShape, check_city, run_load

TICKETS_PER_HALL = 2


def test_a_killed_host_loses_nothing(city: City) -> None:
    victim = city.hosts[0]
    assert victim.alive
    halls = len(city.template.halls)
    load = CityLoad(
        city.balancer, city.template, LoadShape(tickets_per_hall=TICKETS_PER_HALL),
        fault=victim.kill, fault_after=halls,
    )  # fmt: skip
    record = run_load(load)

    assert not victim.alive
    assert load.fault_at is not None
    assert record.acked_count == halls * TICKETS_PER_HALL
    assert record.finished == halls * TICKETS_PER_HALL
    assert check_city(city.writable_url, record) == []
    # Before the kill all three hosts answered; after it the other two carried the load.
    assert {h.name for h in city.hosts} <= set(record.served_by)
    back = record.last_back(load.fault_at)
    print(f"killed {victim.name}: last client back after {back} s; statuses {record.statuses}")
