"""A stuck printer fails its job in time and never blocks the caller or the next job."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from printers.fonts import FontSet
from printers.transports import NetworkTransport
from printers.worker import PrintJob, PrintWorker

JOB_TIMEOUT = 1.0


@pytest.fixture
def make_worker(clock: Any, fonts: FontSet) -> Iterator[Any]:
    workers: list[PrintWorker] = []

    def make(port: int, **kwargs: Any) -> PrintWorker:
        transport = NetworkTransport("127.0.0.1", port, io_timeout=5)
        options = {"job_timeout": JOB_TIMEOUT, "status_timeout": 0.3, **kwargs}
        worker = PrintWorker(transport, clock=clock, width_mm=80, fonts=fonts, **options)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.close(timeout=0.5)


def test_stuck_printer_times_out_and_the_next_job_prints(
    start_printer: Any, make_worker: Any, receipt_with: Any
) -> None:
    printer = start_printer("stuck")
    worker = make_worker(printer.port)
    done = threading.Event()
    reported: list[PrintJob] = []

    def on_done(job: PrintJob) -> None:
        reported.append(job)
        done.set()

    started = time.monotonic()
    job = worker.submit(receipt_with(number="A001"), on_done=on_done)
    assert time.monotonic() - started < 0.2  # the caller is never held up
    assert not job.done()

    assert done.wait(JOB_TIMEOUT + 3)
    result = job.result(timeout=0)
    assert not result.ok
    assert "timed out" in result.reason
    assert reported == [job]
    assert worker.restarts == 1

    printer.mode = "ok"  # the printer recovers; the worker must not still be stuck
    second = worker.submit(receipt_with(number="A002"))
    assert second.result(timeout=JOB_TIMEOUT + 3).ok
    assert printer.job_received.wait(2)
    assert any(b"A002\n" in data for data in printer.jobs)


def test_stuck_printer_job_then_a_good_printer(
    start_printer: Any, make_worker: Any, receipt_with: Any
) -> None:
    stuck, good = start_printer("stuck"), start_printer("ok")
    worker = make_worker(stuck.port)
    first = worker.submit(receipt_with(number="A001"))
    assert not first.result(timeout=JOB_TIMEOUT + 3).ok

    worker.transport = NetworkTransport("127.0.0.1", good.port, io_timeout=5)
    assert worker.submit(receipt_with(number="A002")).result(timeout=JOB_TIMEOUT + 3).ok
    assert good.job_received.wait(2)


def test_jobs_queued_behind_a_stuck_one_are_not_lost(
    start_printer: Any, make_worker: Any, receipt_with: Any
) -> None:
    printer = start_printer("stuck")
    worker = make_worker(printer.port)
    first = worker.submit(receipt_with(number="A001"))
    second = worker.submit(receipt_with(number="A002"))
    assert second.state == "queued"
    assert not first.result(timeout=JOB_TIMEOUT + 3).ok
    printer.mode = "ok"
    # The second job was already connecting to the stuck printer or waits its turn;
    # either way it finishes with an outcome, not silence.
    assert second.result(timeout=2 * JOB_TIMEOUT + 3) is not None
