"""The QR code on the receipt has the standard's quiet zone of four modules on every side,
in both widths (phone readers miss codes with less)."""

from __future__ import annotations

import pytest
import qrcode

from printers.blocks import Qr, paper_for
from printers.raster import _qr_strip

URL = "https://hall.example.gov.cn/t/0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize("width_mm", [58, 80])
def test_four_white_modules_around_the_code(width_mm: int) -> None:
    paper = paper_for(width_mm)
    strip = _qr_strip(Qr(URL), paper).convert("1")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(URL)
    code.make(fit=True)
    modules = len(code.get_matrix())
    black = strip.point(lambda v: 255 if v == 0 else 0).getbbox()
    assert black is not None
    left, top, right, bottom = black
    box = (right - left) // modules
    assert box * modules == right - left == bottom - top
    assert top >= 4 * box and strip.height - bottom >= 4 * box
    assert left >= 4 * box and strip.width - right >= 4 * box
