"""The layout follows the printer's real width in dots: from the python-escpos profile
(TM-T88V: 512, TM-T20II: 576, POS-5890: 384) or the hall's `dots=` setting. Nothing is
drawn past the right edge, and a TM-T88 profile prints instead of failing every job."""

from __future__ import annotations

from typing import Any

import pytest

from printers.fonts import FontSet
from printers.layout import escpos_bytes, layout, render
from printers.native import CELL_W, cells, native_bytes
from printers.profiles import paper_for_printer
from printers.transports import DummyTransport
from printers.worker import PrintWorker
from tests.support.escpos_printer import read_job

CASES = [
    (80, "TM-T88V", None, 512),
    (80, "TM-T20II", None, 576),
    (58, "POS-5890", None, 384),
    (80, None, 512, 512),
    (80, "TM-T20II", 512, 512),
    (58, None, None, 384),
]


@pytest.mark.parametrize(("width_mm", "profile", "dots", "expected"), CASES)
def test_the_paper_has_the_printers_dots(
    width_mm: int, profile: str | None, dots: int | None, expected: int
) -> None:
    assert paper_for_printer(width_mm, profile, dots).dots == expected


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("width_mm", "profile", "dots", "expected"), CASES)
def test_raster_and_native_stay_inside_the_width(
    receipt_with: Any,
    fonts: FontSet,
    lang: str,
    width_mm: int,
    profile: str | None,
    dots: int | None,
    expected: int,
) -> None:
    paper = paper_for_printer(width_mm, profile, dots)
    receipt = receipt_with(lang=lang)
    raster = read_job(escpos_bytes(render(receipt, width_mm, fonts, paper), profile))
    assert raster.images and all(w == expected for w, _ in raster.images)
    native = read_job(native_bytes(layout(receipt), paper, profile).data)
    for line in native.lines:
        assert cells(line.text) * line.width * CELL_W <= expected, line


def test_a_tm_t88_profile_prints(receipt_with: Any, fonts: FontSet, clock: Any) -> None:
    transport = DummyTransport(profile="TM-T88V")
    worker = PrintWorker(transport, clock=clock, width_mm=80, fonts=fonts)
    try:
        result = worker.submit(receipt_with()).result(timeout=30)
    finally:
        worker.close()
    assert result.ok, result.reason
    assert worker.paper.dots == 512
    assert {w for w, _ in read_job(transport.jobs[0]).images} == {512}
