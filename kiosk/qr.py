"""QR codes drawn with half-block characters, for the screen when the receipt did not print.

One character is one module wide and two modules tall; terminal cells are about twice as
tall as wide, so the modules come out square and phones read the code off the screen.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_L

_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}


def qr_lines(data: str, border: int = 2) -> list[str]:
    """Dark modules as ink: show them dark on a light background."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, box_size=1, border=border)
    code.add_data(data)
    code.make(fit=True)
    matrix: list[list[bool]] = [list(row) for row in code.get_matrix()]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    return [
        "".join(_BLOCKS[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[0::2], matrix[1::2], strict=True)
    ]
