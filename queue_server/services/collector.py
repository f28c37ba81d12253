"""The cyclic garbage collector held off while a month is measured or assessed.

A month's pass keeps hundreds of thousands of objects alive until its result is made (open
tickets, tallies, a rating fact per rating, explained lines) and allocates millions more on
the way. Each burst of allocations sets off the generational collector, which walks the
survivors again and again, and now and then the whole heap; none of them can be garbage of a
cycle while the pass holds them. On the 150,000-ticket bench month that walking was 0.7-0.9 s
of 4.8 s of the measures (docs/benchmarks.md). Reference counting still frees everything as
usual; cycles made meanwhile wait for the next collection after the pause.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause automatic collection for the block; nested and concurrent blocks share one
    pause, lifted by the last to leave (and only if the collector was on before the first)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
