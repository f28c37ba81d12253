"""Receipt size and print time per printer mode: raster vs native GB18030 text.

Run: .venv/bin/python -m bench.bench_receipt_modes [--skip-line]

For the kiosk's sample receipt (kiosk.receipts.sample_receipt) at 58 and 80 mm, in both
languages: the job's bytes in each mode, the time those bytes take on a 9600-baud serial
line (10 bits a byte) and the CPU time to make them. Unless --skip-line, each 80 mm zh job
is also sent through the real SerialTransport into a pty pair read at 9600 baud by the
tests' printer emulator, and timed from submit to the printer's "done" answer.
Baseline: raster mode of the same receipt in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from kiosk.receipts import sample_receipt
from printers.fonts import default_fonts
from printers.layout import escpos_bytes, layout, render
from printers.native import native_bytes
from printers.profiles import paper_for_printer
from printers.transports import SerialTransport
from printers.worker import PrintWorker
from tests.support.escpos_printer import EmulatedPrinter, PtyPrinter

BAUD = 9600


def cpu_ms(fn: Callable[[], object], repeat: int = 20) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def on_the_line(mode: str) -> float:
    printer = EmulatedPrinter()
    line = PtyPrinter(printer, BAUD)
    worker = PrintWorker(
        SerialTransport(line.device, BAUD, io_timeout=5),
        clock=lambda: datetime.now(UTC),
        width_mm=80,
        mode=mode,  # type: ignore[arg-type]
        status_timeout=1,
    )
    try:
        start = time.monotonic()
        result = worker.submit(sample_receipt("zh")).result(timeout=300)
        elapsed = time.monotonic() - start
        assert result.ok, result.reason
        return elapsed
    finally:
        worker.close()
        line.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-line", action="store_true")
    args = parser.parse_args()
    fonts = default_fonts()
    print(
        "| paper | lang | raster bytes | native bytes | ratio | raster at 9600 | "
        "native at 9600 | raster CPU | native CPU |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for width in (58, 80):
        paper = paper_for_printer(width)
        for lang in ("zh", "en"):
            receipt = sample_receipt(lang)  # type: ignore[arg-type]
            raster = escpos_bytes(render(receipt, width, fonts, paper))
            native = native_bytes(layout(receipt), paper).data
            r_ms = cpu_ms(
                partial(lambda r, w, p: escpos_bytes(render(r, w, fonts, p)), receipt, width, paper)
            )
            n_ms = cpu_ms(partial(lambda r, p: native_bytes(layout(r), p), receipt, paper))
            print(
                f"| {width} mm | {lang} | {len(raster):,} | {len(native):,} | "
                f"{len(native) / len(raster):.3f} | {len(raster) * 10 / BAUD:.1f} s | "
                f"{len(native) * 10 / BAUD:.1f} s | {r_ms:.1f} ms | {n_ms:.2f} ms "
                f"({n_ms / r_ms:.3f}) |"
            )
    if not args.skip_line:
        raster_s = on_the_line("raster")
        native_s = on_the_line("native")
        print(
            f"\nthrough a 9600-baud pty, submit to 'printed' (80 mm zh): "
            f"raster {raster_s:.1f} s, native {native_s:.1f} s "
            f"(ratio {native_s / raster_s:.3f})"
        )


if __name__ == "__main__":
    main()
