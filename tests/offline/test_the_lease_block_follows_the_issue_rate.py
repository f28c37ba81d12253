"""The block a kiosk leases: the tickets it would issue in the outage the hall plans for,
from the service's last hour, shared among the kiosks leasing for it, clamped."""

from __future__ import annotations

import pytest

from queue_server.domain.leases import LeasePolicy, block_size, should_renew


def test_the_lease_block_follows_the_issue_rate() -> None:
    policy = LeasePolicy(outage_minutes=15, minimum=5, maximum=50, margin=1.5)
    assert block_size(0, 1, policy) == 5  # a quiet service still gets a useful block
    assert block_size(60, 1, policy) == 23  # 1/min x 15 min x 1.5 = 22.5 -> 23
    assert block_size(60, 3, policy) == 8  # three kiosks share the same visitors
    assert block_size(120, 1, policy) > block_size(60, 1, policy)  # busier: more
    assert block_size(10_000, 1, policy) == 50  # capped: a lost kiosk strands few numbers
    with pytest.raises(ValueError):
        block_size(-1, 1, policy)


def test_a_lease_is_renewed_before_it_runs_out() -> None:
    assert not should_renew(10, 12)
    assert should_renew(4, 12)
    assert should_renew(1, 5)
    assert not should_renew(2, 5)
