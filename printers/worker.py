"""Background printing with a watchdog, so a stuck printer never freezes the kiosk.

Jobs run one at a time on a worker thread. A watchdog thread fails any job that runs past
its time limit (`job_timeout` plus the time the job's bytes take on the line),
abandons the thread stuck in it (it ends on its own when the transport's I/O timeout
fires) and starts a fresh worker for the next job.

After every job the printer is asked how it went (printers.status.AFTER_JOB): paper that
ran out, a cover opened or silence after the data fail that job, so the kiosk offers a
reprint. A printer that never answers status queries is learned once and not asked again,
so it does not cost every visitor the status timeout.
"""

from __future__ import annotations

import dataclasses
import itertools
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from printers.blocks import Paper
from printers.fonts import FontSet
from printers.layout import escpos_bytes, layout, render
from printers.native import native_bytes
from printers.profiles import paper_for_printer
from printers.raster import Rendered
from printers.receipt import Document, Receipt
from printers.status import AFTER_JOB, PrinterStatus, interpret_after_job, poll_status
from printers.transports import (
    Mode,
    PreviewTransport,
    PrinterConfig,
    PrinterUnreachable,
    Transport,
    TransportError,
    make_transport,
)

Clock = Callable[[], datetime]
JobState = Literal["queued", "printing", "done"]
# How long paper takes to come out: a slow thermal head prints 50 mm/s (8 dots per mm),
# plus the time to feed and cut.
PRINT_MM_PER_S = 50.0
DOTS_PER_MM = 8.0
FEED_AND_CUT_S = 2.0
SILENT_ROUNDS_TO_LEARN = 2


class NothingToReprint(LookupError):
    """No document was printed recently enough to reprint."""


@dataclass(frozen=True)
class JobResult:
    ok: bool
    reason: str = ""
    # Why the job failed, or what the printer said after a good job (None: not asked).
    status: PrinterStatus | None = None
    finished_at: datetime | None = None
    size: int = 0  # bytes sent to the printer


class PrintJob:
    """Handle for one submitted document; never blocks unless you call result()."""

    def __init__(self, job_id: int, document: Document, submitted_at: datetime) -> None:
        self.id = job_id
        self.document = document
        self.submitted_at = submitted_at
        self.future: Future[JobResult] = Future()
        self._state: JobState = "queued"
        self._lock = threading.Lock()

    @property
    def state(self) -> JobState:
        return self._state

    def done(self) -> bool:
        return self.future.done()

    def result(self, timeout: float | None = None) -> JobResult:
        return self.future.result(timeout)

    def add_done_callback(self, fn: Callable[[PrintJob], None]) -> None:
        """fn runs on a printer thread: UI code must hand it over to its own loop."""
        self.future.add_done_callback(lambda _f: fn(self))

    def _start(self) -> bool:
        with self._lock:
            if self.future.done():
                return False
            self._state = "printing"
            return True

    def _finish(self, result: JobResult) -> bool:
        """First outcome wins: the watchdog and a late-returning worker may both try."""
        with self._lock:
            if self.future.done():
                return False
            self._state = "done"
        self.future.set_result(result)
        return True

    def __repr__(self) -> str:
        return f"<PrintJob {self.id} {self.document.number} {self._state}>"


class PrintWorker:
    def __init__(
        self,
        transport: Transport,
        *,
        clock: Clock,
        width_mm: int = 80,
        dots: int | None = None,
        mode: Mode = "raster",
        fonts: FontSet | None = None,
        job_timeout: float = 30.0,
        status_timeout: float = 1.0,
        check_status: bool = True,
        reprint_window: timedelta = timedelta(minutes=5),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if job_timeout <= 0:
            raise ValueError("job_timeout must be positive")
        self._transport = transport
        self._clock = clock
        self._width_mm = width_mm
        self._paper = paper_for_printer(width_mm, transport.profile, dots)
        self._mode = mode
        self._fonts = fonts
        self._job_timeout = job_timeout
        self._status_timeout = status_timeout
        self._check_status = check_status
        self._reprint_window = reprint_window
        self._monotonic = monotonic

        self._queue: queue.SimpleQueue[PrintJob | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._generation = 0
        self._running: tuple[PrintJob, float, int, float] | None = None
        self._last: tuple[Document, datetime] | None = None
        self._last_status: PrinterStatus | None = None
        # Does this printer answer status queries? None until it has answered or has been
        # silent SILENT_ROUNDS_TO_LEARN times in a row while printing fine.
        self._answers_status: bool | None = None
        self._silent_rounds = 0
        self._closed = False
        self._stop = threading.Event()
        self.restarts = 0

        self._spawn_worker(0)
        self._watchdog = threading.Thread(target=self._watch, name="printer-watchdog", daemon=True)
        self._watchdog.start()

    @classmethod
    def from_config(
        cls, config: PrinterConfig, *, clock: Clock, fonts: FontSet | None = None
    ) -> PrintWorker:
        return cls(
            make_transport(config),
            clock=clock,
            width_mm=config.width_mm,
            dots=config.dots,
            mode=config.mode,
            fonts=fonts,
            job_timeout=config.job_timeout,
            status_timeout=config.status_timeout,
            check_status=config.check_status,
            reprint_window=timedelta(seconds=config.reprint_seconds),
        )

    # -- public ----------------------------------------------------------------------

    @property
    def transport(self) -> Transport:
        return self._transport

    @transport.setter
    def transport(self, transport: Transport) -> None:
        """Swap the printer (config reload); takes effect from the next job."""
        with self._lock:
            self._transport = transport
            self._answers_status, self._silent_rounds = None, 0

    @property
    def paper(self) -> Paper:
        return self._paper

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def answers_status(self) -> bool | None:
        """What the worker learned: does the printer answer status queries?"""
        with self._lock:
            return self._answers_status

    def submit(
        self, document: Document, on_done: Callable[[PrintJob], None] | None = None
    ) -> PrintJob:
        """Queue a document and return at once."""
        now = self._clock()
        job = PrintJob(next(self._ids), document, now)
        if on_done is not None:
            job.add_done_callback(on_done)
        with self._lock:
            if self._closed:
                job._finish(JobResult(False, "printer worker closed", finished_at=now))
                return job
            if not (isinstance(document, Receipt) and document.reprint):
                self._last = (document, now)
        self._queue.put(job)
        return job

    def last_document(self) -> Document | None:
        """The last document submitted, while it may still be reprinted."""
        with self._lock:
            last = self._last
        if last is None or self._clock() - last[1] > self._reprint_window:
            return None
        return last[0]

    def reprint(self, on_done: Callable[[PrintJob], None] | None = None) -> PrintJob:
        """Print the last document again, marked 补打 / REPRINT on a receipt."""
        document = self.last_document()
        if document is None:
            raise NothingToReprint("nothing printed in the reprint window")
        if isinstance(document, Receipt):
            document = dataclasses.replace(document, reprint=True)
        return self.submit(document, on_done)

    def forget_last(self) -> None:
        with self._lock:
            self._last = None

    def poll_status(self) -> PrinterStatus:
        """Ask the printer now; blocks up to status_timeout, so not on the UI thread.

        While a job is printing the last known status is returned instead: many printers
        take one connection at a time and would refuse the query, which reads as offline.
        """
        with self._lock:
            busy, transport = self._running is not None, self._transport
            last = self._last_status
        if busy:
            return last or PrinterStatus("unknown", "printing; not asked during a job")
        return self._polled(poll_status(transport, self._status_timeout))

    def _polled(self, status: PrinterStatus) -> PrinterStatus:
        self._learn(status, printed=False)
        with self._lock:
            last = self._last_status
            if last is not None and last.state == "fault" and status.state == "unknown":
                return last  # still silent: the fault stands until it answers or prints
            self._last_status = status
        return status

    @property
    def last_status(self) -> PrinterStatus | None:
        with self._lock:
            return self._last_status

    def _remember(self, status: PrinterStatus) -> PrinterStatus:
        with self._lock:
            self._last_status = status
        return status

    def _learn(self, status: PrinterStatus, *, printed: bool) -> None:
        """A printer that answered once answers; one silent while jobs print does not."""
        with self._lock:
            if self._answers_status is not None:
                return
            if status.answered:
                self._answers_status = True
            elif printed:
                self._silent_rounds += 1
                if self._silent_rounds >= SILENT_ROUNDS_TO_LEARN:
                    self._answers_status = False

    def _asks_status(self) -> bool:
        with self._lock:
            return self._check_status and self._answers_status is not False

    def close(self, timeout: float = 2.0) -> None:
        """Stop taking jobs; queued jobs fail; a job in progress may finish within timeout."""
        with self._lock:
            self._closed = True
        self._stop.set()
        self._queue.put(None)
        deadline = self._monotonic() + timeout
        for thread in (self._worker, self._watchdog):
            thread.join(max(deadline - self._monotonic(), 0))
        now = self._clock()
        while True:
            try:
                job = self._queue.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job._finish(JobResult(False, "printer worker closed", finished_at=now))

    def __enter__(self) -> PrintWorker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- threads ---------------------------------------------------------------------

    def _spawn_worker(self, generation: int) -> None:
        self._worker = threading.Thread(
            target=self._work, args=(generation,), name=f"printer-worker-{generation}", daemon=True
        )
        self._worker.start()

    def _work(self, generation: int) -> None:
        while True:
            job = self._queue.get()
            if job is None or self._stop.is_set():
                if job is not None:
                    self._queue.put(job)  # left for close() to fail
                return
            if not job._start():
                continue
            with self._lock:
                self._running = (job, self._monotonic(), generation, self._job_timeout)
                transport = self._transport
            result = self._execute(job, transport)
            with self._lock:
                abandoned = generation != self._generation
                if not abandoned:
                    self._running = None
            job._finish(result)
            if abandoned:
                return  # the watchdog already gave the queue to a fresh worker

    def _execute(self, job: PrintJob, transport: Transport) -> JobResult:
        try:
            if isinstance(transport, PreviewTransport):
                transport.send(render(job.document, self._width_mm, self._fonts, self._paper))
                return JobResult(True, finished_at=self._clock())
            data, paper_dots, rendered = self._job_bytes(job.document, transport)
            asks = silent = False
            if self._asks_status():
                status = self._polled(poll_status(transport, self._status_timeout))
                if not status.can_print:
                    return JobResult(
                        False, f"printer {status.state}: {status.detail}", status, self._clock()
                    )
                # Silent now and never heard from: waiting after the data would only add
                # the print time to the status timeout this visitor already paid.
                silent = not status.answered
                asks = self.answers_status is True
            on_paper = FEED_AND_CUT_S + paper_dots / DOTS_PER_MM / PRINT_MM_PER_S
            self._extend_limit(job, transport.transfer_seconds(len(data)))
            answers = transport.deliver(
                data,
                AFTER_JOB if asks else (),
                self._status_timeout + on_paper,
                self._status_timeout,
                rendered,
            )
        except PrinterUnreachable as e:
            offline = self._remember(PrinterStatus("offline", str(e), from_printer=False))
            return JobResult(False, f"{type(e).__name__}: {e}", offline, self._clock())
        except TransportError as e:  # took part of the job, then stopped: a hang or a jam
            fault = self._remember(PrinterStatus("fault", str(e), from_printer=False))
            return JobResult(False, f"{type(e).__name__}: {e}", fault, self._clock())
        except Exception as e:  # whatever a driver raises must end as a failed job
            return JobResult(False, f"{type(e).__name__}: {e}", finished_at=self._clock())
        if silent:  # delivered to a printer that has never answered: learn its way
            self._learn(PrinterStatus("unknown", "no answer"), printed=True)
        if not asks or answers is None:  # not asked, or the line cannot talk back
            cleared: PrinterStatus | None = None
            last = self.last_status
            if last is not None and last.state == "fault":  # it prints again: fault over
                cleared = self._remember(PrinterStatus("unknown", "printed a job; no status"))
            return JobResult(True, status=cleared, finished_at=self._clock(), size=len(data))
        return self._judge(answers, len(data))

    def _judge(self, answers: list[bytes | None], size: int) -> JobResult:
        status = self._remember(interpret_after_job(answers))
        if status.state in ("paper_out", "offline", "fault"):
            return JobResult(
                False, f"printer {status.state}: {status.detail}", status, self._clock(), size
            )
        return JobResult(True, status=status, finished_at=self._clock(), size=size)

    def _job_bytes(
        self, document: Document, transport: Transport
    ) -> tuple[bytes, int, Rendered | None]:
        """The job's bytes, the paper length they print in dots, and the raster if any."""
        if self._mode == "native":
            native = native_bytes(layout(document), self._paper, transport.profile)
            return native.data, native.height_dots, None
        rendered = render(document, self._width_mm, self._fonts, self._paper)
        return escpos_bytes(rendered, transport.profile), rendered.height_dots, rendered

    def _extend_limit(self, job: PrintJob, extra: float) -> None:
        with self._lock:
            if self._running is not None and self._running[0] is job:
                running_job, started, generation, _ = self._running
                self._running = (running_job, started, generation, self._job_timeout + extra)

    def _watch(self) -> None:
        tick = min(0.1, self._job_timeout / 10)
        while not self._stop.wait(tick):
            stuck: tuple[PrintJob, float] | None = None
            with self._lock:
                if self._running is not None:
                    job, started, generation, limit = self._running
                    if self._monotonic() - started > limit:
                        stuck = (job, limit)
                        self._running = None
                        self._generation = generation + 1
                        self.restarts += 1
                        self._spawn_worker(self._generation)
            if stuck is not None:
                job, limit = stuck
                status = self._remember(PrinterStatus("fault", "job timed out", from_printer=False))
                job._finish(
                    JobResult(
                        False,
                        f"timed out after {limit:g}s: printer not responding",
                        status,
                        self._clock(),
                    )
                )
