"""Waiting for test threads with a bound that holds under faked dates too."""

from __future__ import annotations

import sys
import threading
import time
import traceback


def thread_stacks() -> str:
    """Every thread's Python stack, named: what a stuck shutdown was waiting for."""
    names = {t.ident: t.name for t in threading.enumerate()}
    return "\n".join(
        f"--- thread {names.get(ident, ident)}\n" + "".join(traceback.format_stack(frame))
        for ident, frame in sys._current_frames().items()
    )


def joined(thread: threading.Thread, seconds: float) -> bool:
    """Whether `thread` ended within `seconds`.

    Polled with sleeps, not `Thread.join(timeout)`: under libfaketime (scripts/test-dates.sh)
    a timed join never times out. CPython waits on a lock with sem_clockwait against the
    monotonic clock, which libfaketime fakes but does not translate for that call, so the
    deadline lies decades ahead; sleeps it does translate.
    """
    deadline = time.monotonic() + seconds
    while thread.is_alive():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True
