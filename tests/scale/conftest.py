"""One city bed for this package (gone after its last test, not kept to the suite's end):
100 halls of 8 windows on a primary with a streaming standby, three `hallq serve` hosts of
one worker each, HAProxy in front (tests/support/city).

The tests share it in file order: the cross-host fan-out first, then the killed host, then the
failover (which leaves the standby as the primary), then the boards through the balancer.
The heartbeat is an hour long, so a board only learns of a call from another host through
LISTEN/NOTIFY (or from its own resume after a reconnect), never from a periodic re-read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.city import City, CityShape, Template, build_template, city_bed, missing_parts

SHAPE = CityShape(halls=100, windows=8, staffed=2)
LONG_HEARTBEAT = {"HALLQ_LIVE_HEARTBEAT_SECONDS": "3600"}


def require_city_parts() -> None:
    reason = missing_parts()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the city tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="package")
def city_template() -> Iterator[Template]:
    require_city_parts()
    # Not under pytest's tmp_path: its parent is root's alone and PostgreSQL runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="hallq-city-template-"))
    try:
        yield build_template(folder, SHAPE)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="package")
def city(city_template: Template) -> Iterator[City]:
    with city_bed(city_template, hosts=3, workers=1, extra_env=LONG_HEARTBEAT) as bed:
        yield bed
