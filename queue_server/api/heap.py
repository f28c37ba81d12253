"""The server process's heap, settled once the application is built."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Collects what start-up left behind, then takes every object still alive out of the
    cyclic garbage collector's sight (`gc.freeze`).

    The modules, routes, hall configuration and caches live as long as the process. In the
    oldest generation, every full collection walked all of them, holding requests for tens
    of milliseconds: the p99 of issuing at 10 clients was 56-108 ms, and 36-38 ms once they
    were frozen (issue 22, docs/benchmarks.md). Frozen objects are still freed by reference
    counting; only a reference cycle among them would stay, and they live for good anyway.
    Called by the server's entry points, not by `create_app`: tests build many apps in one
    process and would freeze each other's leftovers."""
    gc.collect()
    gc.freeze()
