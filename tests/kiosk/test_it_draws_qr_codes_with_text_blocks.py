"""The on-screen QR code is the qrcode library's matrix, two modules per character row."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_L

from kiosk.qr import qr_lines

URL = "https://hall.example.gov.cn/t/0123456789abcdef0123456789abcdef"


def test_it_draws_qr_codes_with_text_blocks() -> None:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, box_size=1, border=2)
    code.add_data(URL)
    code.make(fit=True)
    matrix = code.get_matrix()

    lines = qr_lines(URL)
    assert len(lines) == (len(matrix) + 1) // 2
    decoded: list[list[bool]] = []
    for line in lines:
        decoded.append([ch in "█▀" for ch in line])
        decoded.append([ch in "█▄" for ch in line])
    assert decoded[: len(matrix)] == [list(row) for row in matrix]
    assert len(lines[0]) <= 40  # fits beside the number on a 100-column kiosk screen
