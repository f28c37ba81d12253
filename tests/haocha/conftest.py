"""A hall reporting to a loopback stand-in of the provincial platform."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from queue_server.api.deps import Services
from queue_server.domain.clock import ManualClock
from queue_server.services.haocha import HaochaReporter
from tests.support.factories import make_services
from tests.support.haocha import RatedVisits, reporting_hall
from tests.support.haocha_receiver import HaochaReceiver


@pytest.fixture
def receiver() -> Iterator[HaochaReceiver]:
    platform = HaochaReceiver()
    try:
        yield platform
    finally:
        platform.down()


@pytest.fixture
def reporting(
    sqlite_url: str, clock: ManualClock, receiver: HaochaReceiver, tmp_path: Path
) -> Iterator[Services]:
    built = make_services(sqlite_url, reporting_hall(receiver.url, tmp_path), clock=clock)
    yield built
    built.db.engine.dispose()


@pytest.fixture
def reporter(reporting: Services, clock: ManualClock) -> Iterator[HaochaReporter]:
    sender = HaochaReporter(reporting.db, reporting.halls, clock)
    yield sender
    sender.close()


@pytest.fixture
def visits(reporting: Services, clock: ManualClock) -> RatedVisits:
    return RatedVisits(reporting, clock)
