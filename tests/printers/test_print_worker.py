"""PrintWorker: results without blocking, status pre-check, reprint window, shutdown."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from printers.fonts import FontSet
from printers.raster import Rendered
from printers.transports import DummyTransport, PrinterConfig, TransportError
from printers.worker import NothingToReprint, PrintWorker

WAIT = 5.0


class BlockingTransport(DummyTransport):
    """Hangs in deliver() until released, like a driver call with no timeout."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()

    def deliver(
        self,
        data: bytes,
        questions: Sequence[bytes],
        first_wait: float,
        wait: float,
        rendered: Rendered | None = None,
    ) -> list[bytes | None]:
        self.entered.set()
        self.release.wait()
        return super().deliver(data, questions, first_wait, wait, rendered)


@pytest.fixture
def make_worker(clock: Any, fonts: FontSet) -> Iterator[Any]:
    workers: list[PrintWorker] = []

    def make(transport: Any = None, **kwargs: Any) -> PrintWorker:
        worker = PrintWorker(
            transport or DummyTransport(), clock=clock, width_mm=58, fonts=fonts, **kwargs
        )
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.close(timeout=0.5)


def test_a_job_prints_and_reports_ok(make_worker: Any, receipt_with: Any) -> None:
    transport = DummyTransport()
    worker = make_worker(transport)
    job = worker.submit(receipt_with())
    result = job.result(timeout=WAIT)
    assert result.ok and result.reason == ""
    assert job.state == "done"
    assert len(transport.jobs) == 1 and transport.jobs[0].endswith(b"\x1dV\x00")


def test_paper_out_fails_the_job_without_sending(make_worker: Any, receipt_with: Any) -> None:
    transport = DummyTransport(replies={1: b"\x1a", 2: b"\x32", 4: b"\x72"})
    result = make_worker(transport).submit(receipt_with()).result(timeout=WAIT)
    assert not result.ok
    assert result.status is not None and result.status.state == "paper_out"
    assert transport.jobs == []


def test_unknown_status_still_prints(make_worker: Any, receipt_with: Any) -> None:
    transport = DummyTransport(replies={})
    assert make_worker(transport).submit(receipt_with()).result(timeout=WAIT).ok
    assert len(transport.jobs) == 1


def test_transport_errors_become_a_failed_job(make_worker: Any, receipt_with: Any) -> None:
    transport = DummyTransport(fail_with=TransportError("cable unplugged"))
    worker = make_worker(transport)
    result = worker.submit(receipt_with()).result(timeout=WAIT)
    assert not result.ok and "cable unplugged" in result.reason
    transport.fail_with = None
    assert worker.submit(receipt_with()).result(timeout=WAIT).ok


def test_a_late_result_from_an_abandoned_job_is_ignored(
    make_worker: Any, receipt_with: Any
) -> None:
    transport = BlockingTransport()
    worker = make_worker(transport, job_timeout=0.3)
    job = worker.submit(receipt_with())
    assert not job.result(timeout=WAIT).ok
    transport.release.set()  # the stuck driver call finally returns
    assert job.result(timeout=0).reason.startswith("timed out")
    assert worker.submit(receipt_with()).result(timeout=WAIT).ok


def test_reprint_within_the_window(make_worker: Any, receipt_with: Any, clock: Any) -> None:
    transport = DummyTransport()
    worker = make_worker(transport)
    worker.submit(receipt_with()).result(timeout=WAIT)
    clock.advance(minutes=4)
    again = worker.reprint()
    assert again.result(timeout=WAIT).ok
    assert again.document.reprint
    assert transport.jobs[0] != transport.jobs[1]  # the copy is marked 补打

    clock.advance(minutes=1, seconds=1)  # a reprint does not extend the window
    with pytest.raises(NothingToReprint):
        worker.reprint()


def test_reprint_window_is_configurable(make_worker: Any, receipt_with: Any, clock: Any) -> None:
    worker = make_worker(reprint_window=timedelta(seconds=30))
    assert worker.last_document() is None
    worker.submit(receipt_with())
    clock.advance(seconds=31)
    assert worker.last_document() is None


def test_forget_last_clears_the_reprint(make_worker: Any, receipt_with: Any) -> None:
    worker = make_worker()
    worker.submit(receipt_with())
    worker.forget_last()
    with pytest.raises(NothingToReprint):
        worker.reprint()


def test_close_fails_queued_jobs_and_refuses_new_ones(make_worker: Any, receipt_with: Any) -> None:
    transport = BlockingTransport()
    worker = make_worker(transport, job_timeout=30)
    first = worker.submit(receipt_with(number="A001"))
    assert transport.entered.wait(WAIT)
    queued = worker.submit(receipt_with(number="A002"))
    worker.close(timeout=0.2)
    assert queued.result(timeout=0).reason == "printer worker closed"
    late = worker.submit(receipt_with(number="A003"))
    assert late.done() and not late.result().ok
    transport.release.set()
    assert first.result(timeout=WAIT).ok


def test_worker_from_preview_config_writes_pngs(
    clock: Any, fonts: FontSet, receipt_with: Any, tmp_path: Path
) -> None:
    config = PrinterConfig.from_mapping(
        {"kind": "preview", "folder": str(tmp_path), "width_mm": 58}
    )
    with PrintWorker.from_config(config, clock=clock, fonts=fonts) as worker:
        assert worker.submit(receipt_with(number="A007")).result(timeout=WAIT).ok
        assert worker.submit(receipt_with(number="A008")).result(timeout=WAIT).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0001-A007.png", "0002-A008.png"]


def test_status_is_not_asked_while_a_job_is_printing(make_worker: Any, receipt_with: Any) -> None:
    transport = BlockingTransport()
    worker = make_worker(transport, job_timeout=30)
    job = worker.submit(receipt_with())
    assert transport.entered.wait(WAIT)
    asked = transport.queries
    assert worker.poll_status().state == "ok"  # the pre-job answer, not a new query
    assert transport.queries == asked
    transport.release.set()
    assert job.result(timeout=WAIT).ok
    asked = transport.queries  # the job's own after-print questions included
    assert worker.poll_status().state == "ok"
    assert transport.queries == asked + 1


def test_status_check_can_be_turned_off(make_worker: Any, receipt_with: Any) -> None:
    transport = DummyTransport(replies={1: b"\x1a", 2: b"\x32", 4: b"\x72"})
    assert make_worker(transport, check_status=False).submit(receipt_with()).result(WAIT).ok
    assert transport.queries == 0
