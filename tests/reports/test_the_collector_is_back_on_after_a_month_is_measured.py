"""Measuring or assessing a month pauses the cyclic garbage collector; it is on again after,
whether the month was measured, refused, or measured by two threads at once."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from queue_server.domain.errors import RuleViolation
from queue_server.services.collector import collector_paused
from queue_server.services.event_log import SYSTEM
from queue_server.services.reports import ReportService
from tests.assessment.month_support import assessment
from tests.reports.conftest import PlayedMonth
from tests.reports.scripted_day import HALL


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    assert gc.isenabled()
    yield
    gc.enable()


def test_on_after_measures_a_refusal_and_a_run(played: PlayedMonth) -> None:
    reports = ReportService(played.services.db, played.services.halls, played.clock)
    reports.month_measures(HALL, "2026-11")
    assert gc.isenabled()
    with pytest.raises(RuleViolation):
        reports.month_measures(HALL, "2027-05")  # not begun yet
    assert gc.isenabled()
    assessment(played.services).run_month(HALL, "2026-11", SYSTEM)
    assert gc.isenabled()


def test_paused_inside_and_lifted_by_the_last_of_overlapping_blocks() -> None:
    first_in, second_out = threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with collector_paused():
            first_in.set()
            second_out.wait(5)
            seen.append(gc.isenabled())  # the other block left: still paused for this one

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector_paused():
        assert not gc.isenabled()
    second_out.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
