"""Printer status from ESC/POS real-time queries (DLE EOT n).

Silence is never read as a fault: a printer that does not answer in time is "unknown",
because reporting "paper out" for a busy or query-less printer would send the duty lead
running for nothing and hide the real problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from printers.transports import (
    CupsTransport,
    PreviewTransport,
    PrinterUnreachable,
    Transport,
    TransportError,
)

# fault: the last job failed at the printer without a state that says why (no answer after
# the data, cutter jam, a hang); it lasts until the printer answers "ok" or prints a job.
State = Literal["ok", "paper_low", "paper_out", "offline", "unknown", "fault"]

DLE_EOT = b"\x10\x04"
PRINTER_STATUS = DLE_EOT + b"\x01"
OFFLINE_CAUSE = DLE_EOT + b"\x02"
PAPER_SENSOR = DLE_EOT + b"\x04"
ERROR_CAUSE = DLE_EOT + b"\x03"
QUERIES = (PRINTER_STATUS, OFFLINE_CAUSE, PAPER_SENSOR)
# GS r 1 is not real-time: the printer answers it only after everything sent before it has
# been processed, so its answer says "the job is on paper". The DLE EOT queries after it are
# answered at once, even by a printer that stopped mid-job.
JOB_DONE = b"\x1dr\x01"
AFTER_JOB = (JOB_DONE, PRINTER_STATUS, OFFLINE_CAUSE, ERROR_CAUSE, PAPER_SENSOR)
GS_R_FIXED_MASK = 0x90  # bits 4 and 7 are 0 in a GS r reply (1 in DLE EOT replies: bit 4)
GS_R_PAPER_END = 0x0C
CUTTER_ERROR, UNRECOVERABLE, AUTO_RECOVERABLE = 0x08, 0x20, 0x40

FIXED_MASK, FIXED_BITS = 0x93, 0x12  # bits 0,7 are 0 and bits 1,4 are 1 in every reply
OFFLINE_BIT = 0x08
COVER_OPEN, FEED_BUTTON, STOPPED_PAPER_END, ERROR = 0x04, 0x08, 0x20, 0x40
PAPER_NEAR_END, PAPER_END = 0x0C, 0x60


@dataclass(frozen=True)
class PrinterStatus:
    state: State
    detail: str = ""
    # False when the state was not told by the printer itself (refused connection, CUPS,
    # a transport error): such a state teaches nothing about whether it answers queries.
    from_printer: bool = True

    @property
    def can_print(self) -> bool:
        """False only when the printer told us it cannot (unknown may still print)."""
        return self.state not in ("paper_out", "offline")

    @property
    def answered(self) -> bool:
        """The printer itself said something about its state."""
        return self.from_printer and self.state != "unknown"

    def as_event(self) -> dict[str, str]:
        return {"state": self.state, "detail": self.detail}


def _valid(reply: bytes | None) -> int | None:
    if not reply or (reply[0] & FIXED_MASK) != FIXED_BITS:
        return None
    return reply[0]


def interpret(printer: bytes | None, cause: bytes | None, paper: bytes | None) -> PrinterStatus:
    """Pure: turn the three one-byte replies (None = no answer) into a status."""
    p, c, s = _valid(printer), _valid(cause), _valid(paper)
    if s is not None and s & PAPER_END:
        return PrinterStatus("paper_out", "roll paper end sensor")
    if c is not None and c & STOPPED_PAPER_END:
        return PrinterStatus("paper_out", "printing stopped: paper end")
    if p is not None and p & OFFLINE_BIT:
        reasons = []
        if c is not None:
            reasons += [
                w
                for bit, w in (
                    (COVER_OPEN, "cover open"),
                    (FEED_BUTTON, "feeding"),
                    (ERROR, "error"),
                )
                if c & bit
            ]
        return PrinterStatus("offline", ", ".join(reasons) or "printer reports offline")
    if p is None or s is None:
        missing = [n for n, r in (("printer", printer), ("paper", paper)) if r is None]
        if missing:
            return PrinterStatus("unknown", f"no answer to {'/'.join(missing)} status query")
        return PrinterStatus(
            "unknown", f"unexpected reply {(printer or b'').hex()}/{(paper or b'').hex()}"
        )
    if s & PAPER_NEAR_END:
        return PrinterStatus("paper_low", "roll paper near end")
    return PrinterStatus("ok", "online, paper adequate")


def poll_status(transport: Transport, timeout: float = 1.0) -> PrinterStatus:
    """Ask the printer; never blocks much longer than timeout, never raises."""
    if isinstance(transport, PreviewTransport):
        return PrinterStatus("ok", "preview printer (PNG files)", from_printer=False)
    if isinstance(transport, CupsTransport):
        enabled, text = transport.queue_state(timeout)
        if enabled is False:
            return PrinterStatus("offline", text, from_printer=False)
        return PrinterStatus("unknown", f"CUPS does not report paper state: {text}")
    try:
        answers = transport.query(QUERIES, timeout)
    except PrinterUnreachable as e:
        return PrinterStatus("offline", str(e), from_printer=False)
    except (TransportError, OSError) as e:
        return PrinterStatus("unknown", str(e))
    except Exception as e:  # a driver bug must not take the kiosk's status loop down
        return PrinterStatus("unknown", f"{type(e).__name__}: {e}")
    if answers is None:
        return PrinterStatus("unknown", f"{transport.describe()} cannot report status")
    printer, cause, paper = (list(answers) + [None] * 3)[:3]
    return interpret(printer, cause, paper)


def _done(reply: bytes | None) -> int | None:
    if not reply or reply[0] & GS_R_FIXED_MASK:
        return None
    return reply[0]


def interpret_after_job(answers: list[bytes | None]) -> PrinterStatus:
    """Pure: the replies to AFTER_JOB (None = no answer) as the outcome of that job.

    Paper end, cover open and cutter errors are faults of the job even though the printer
    took every byte; so is silence from a printer that answers status (the job never came
    out). A job is fine only when the printer said it processed it.
    """
    done, printer, cause, error, paper = (list(answers) + [None] * 5)[:5]
    d = _done(done)
    state = interpret(printer, cause, paper)
    e = _valid(error)
    if e is not None and e & (CUTTER_ERROR | UNRECOVERABLE | AUTO_RECOVERABLE):
        words = [
            w
            for bit, w in (
                (CUTTER_ERROR, "cutter error"),
                (UNRECOVERABLE, "unrecoverable error"),
                (AUTO_RECOVERABLE, "auto-recoverable error"),
            )
            if e & bit
        ]
        return PrinterStatus("fault", ", ".join(words))
    if d is not None and d & GS_R_PAPER_END and state.state != "paper_out":
        return PrinterStatus("paper_out", "paper ran out during the job")
    if state.state in ("paper_out", "offline"):
        return PrinterStatus(state.state, f"during the job: {state.detail}")
    if d is None:
        return PrinterStatus("fault", "no answer after the data: the job did not come out")
    return state if state.state != "unknown" else PrinterStatus("ok", "job printed")
