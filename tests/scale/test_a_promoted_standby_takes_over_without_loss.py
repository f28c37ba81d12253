"""A controlled failover under load: the primary stops, the standby is promoted, and the
hosts, which name both in libpq's multi-host URL with target_session_attrs=read-write, find
it by themselves. Requests during the switch are answered 503 with Retry-After and retried;
nothing acknowledged is lost and `hallq audit verify` passes for every hall afterwards."""

from __future__ import annotations

from tests.support.city import City
from tests.support.city_load import CityLoad, LoadShape, check_city, run_load

TICKETS_PER_HALL = 2


def test_the_promoted_standby_serves_on_without_loss(city: City) -> None:
    halls = len(city.template.halls)
    load = CityLoad(
        city.balancer, city.template, LoadShape(tickets_per_hall=TICKETS_PER_HALL),
        fault=city.fail_over, fault_after=halls,
    )  # fmt: skip
    record = run_load(load)

    assert city.failed_over
    assert city.standby.sql("SELECT pg_is_in_recovery()") == "f"
    assert record.acked_count == halls * TICKETS_PER_HALL
    assert record.finished == halls * TICKETS_PER_HALL
    # Checked on the promoted standby: every acknowledged ticket is there.
    assert check_city(city.writable_url, record) == []
    audit = city.audit_verify()
    assert audit.returncode == 0, audit.stdout + audit.stderr
    intact = [line for line in audit.stdout.splitlines() if "chain intact" in line]
    assert len(intact) == halls, audit.stdout
    assert "BROKEN" not in audit.stdout
    assert load.fault_at is not None
    back = record.last_back(load.fault_at)
    print(f"failover: last client back after {back} s; statuses {record.statuses}")
