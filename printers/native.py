"""Native Chinese text mode: the receipt as GB18030 text in the printer's own font.

Printers sold in China (Xprinter, GPrinter, Sprt, HPRT, the Epson and Star Chinese models)
carry a GB18030 (or GBK) font: after FS & they read two- and four-byte GB18030 codes as
Chinese characters, 24x24 dots, ASCII 12x24. A receipt in this mode is a few hundred bytes
to 2 KB instead of 40-60 KB of raster, which is what makes a 9600-baud serial line usable.

Lines are wrapped here, not by the printer, with the same rules as the raster (no 。 at a
line start, Latin words kept whole), measured in the printer's cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import qrcode

from printers.blocks import Block, Number, Paper, Qr, Rule, Space, Text
from printers.raster import QR_QUIET_MODULES, number_multiplier
from printers.wrap import WORD_JOINER, is_wide, wrap_text

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"
INIT = ESC + b"@"
CHINESE_ON = FS + b"&"  # FS &: two-byte (GB18030) characters from the printer's font
CHINESE_OFF = FS + b"."
CUT = GS + b"V\x00"
CELL_W, CELL_H = 12, 24  # font A / Chinese half-width cell at 1x
LINE_GAP = 6  # default line spacing adds a little to the 24-dot cell
FEED_BEFORE_CUT = 4  # lines between the last text and the cutter
ALIGN = {"left": 0, "center": 1, "right": 2}
NUMBER_MAX_MULT = 4  # GS ! quad size: every printer of docs/kiosk.md's table has it
QR_MAX_MODULE = 8
# Without GS ( k the code goes as a raster: 4-dot (0.5 mm) modules still scan reliably and
# keep it near 2 KB, about 2 s at 9600 baud.
QR_RASTER_MAX_MODULE = 4
ENCODING = "gb18030"


@dataclass(frozen=True)
class NativeJob:
    data: bytes
    height_dots: int  # paper the job prints, for the time it takes


def cells(text: str) -> int:
    """Width in half-width cells: a Chinese character takes two."""
    return sum(2 if is_wide(ch) else 1 for ch in text if ch != WORD_JOINER)


def encode(text: str) -> bytes:
    return text.replace(WORD_JOINER, "").encode(ENCODING, errors="replace")


def _size(width: int, height: int) -> bytes:
    return GS + b"!" + bytes([((width - 1) << 4) | (height - 1)])


def _feed(dots: int) -> bytes:
    out = b""
    while dots > 0:
        step = min(dots, 255)
        out += ESC + b"J" + bytes([step])
        dots -= step
    return out


class _Writer:
    def __init__(self, paper: Paper, qr_native: bool) -> None:
        self.paper = paper
        self.qr_native = qr_native
        self.out = bytearray(INIT + CHINESE_ON)
        self.height = 0

    def line_cells(self, mult: int) -> int:
        return self.paper.dots // (CELL_W * mult)

    def text(self, block: Text) -> None:
        mult = 2 if block.role == "title" else 1
        high = 2 if block.role in ("large", "title") else 1
        if block.role == "large" and cells(block.text) * 2 <= self.line_cells(1):
            mult = 2  # double width too when it fits on one line
        limit = self.line_cells(mult) - cells(block.prefix)
        lines = wrap_text(block.text, limit, lambda s: float(cells(s))) or [""]
        pad = " " * cells(block.prefix)
        self.out += ESC + b"a" + bytes([ALIGN[block.align]]) + _size(mult, high)
        self.out += ESC + b"E" + bytes([int(block.bold)]) + GS + b"B" + bytes([int(block.inverse)])
        for i, line in enumerate(lines):
            self.out += encode((block.prefix if i == 0 else pad) + line) + LF
            self.height += CELL_H * high + LINE_GAP
        self.out += GS + b"B\x00" + ESC + b"E\x00" + _size(1, 1) + ESC + b"a\x00"

    def number(self, block: Number) -> None:
        mult = min(number_multiplier(block.text, self.paper), NUMBER_MAX_MULT)
        self.out += ESC + b"a\x01" + ESC + b"E\x01" + _size(mult, mult)
        self.out += encode(block.text) + LF
        self.out += _size(1, 1) + ESC + b"E\x00" + ESC + b"a\x00"
        self.height += CELL_H * mult + LINE_GAP

    def rule(self) -> None:
        self.out += b"-" * self.line_cells(1) + LF
        self.height += CELL_H + LINE_GAP

    def space(self, dots: int) -> None:
        self.out += _feed(dots)
        self.height += dots

    def qr(self, block: Qr) -> None:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        code.add_data(block.data)
        code.make(fit=True)
        matrix = code.get_matrix()
        biggest = QR_MAX_MODULE if self.qr_native else QR_RASTER_MAX_MODULE
        module = max(1, min(biggest, self.paper.qr_dots // len(matrix)))
        quiet = QR_QUIET_MODULES * module
        self.space(quiet)
        self.out += ESC + b"a\x01"
        if self.qr_native:
            self.out += qr_command(block.data, module)
        else:
            self.out += qr_raster(matrix, module, self.paper.dots)
        self.out += ESC + b"a\x00"
        self.height += len(matrix) * module
        self.space(quiet)

    def finish(self) -> NativeJob:
        self.out += CHINESE_OFF + ESC + b"d" + bytes([FEED_BEFORE_CUT]) + CUT
        self.height += FEED_BEFORE_CUT * (CELL_H + LINE_GAP)
        return NativeJob(bytes(self.out), self.height)


def _gs_k(fn: int, payload: bytes) -> bytes:
    size = len(payload) + 2
    return GS + b"(k" + bytes([size & 0xFF, size >> 8, 49, fn]) + payload


def qr_command(data: str, module: int) -> bytes:
    """GS ( k: model 2, module size, error correction M, store, print."""
    raw = data.encode("ascii")
    return (
        _gs_k(65, b"\x32\x00")
        + _gs_k(67, bytes([module]))
        + _gs_k(69, b"\x31")
        + _gs_k(80, b"\x30" + raw)
        + _gs_k(81, b"\x30")
    )


def qr_raster(matrix: list[list[bool]], module: int, dots: int) -> bytes:
    """GS v 0: the QR as a small 1-bit image, for printers without the QR command."""
    side = len(matrix) * module
    width_bytes = (side + 7) // 8
    rows = bytearray()
    for row in matrix:
        bits = [cell for cell in row for _ in range(module)]
        packed = bytearray(width_bytes)
        for x, black in enumerate(bits):
            if black:
                packed[x // 8] |= 0x80 >> (x % 8)
        rows += bytes(packed) * module
    header = GS + b"v0\x00" + bytes([width_bytes & 0xFF, width_bytes >> 8, side & 0xFF, side >> 8])
    return header + bytes(rows)


def native_bytes(blocks: list[Block], paper: Paper, profile: str | None = None) -> NativeJob:
    """The print job for `blocks` in native Chinese text mode."""
    writer = _Writer(paper, qr_native=_has_qr(profile))
    for block in blocks:
        if isinstance(block, Text):
            writer.text(block)
        elif isinstance(block, Number):
            writer.number(block)
        elif isinstance(block, Rule):
            writer.rule()
        elif isinstance(block, Space):
            writer.space(block.dots)
        elif isinstance(block, Qr):
            writer.qr(block)
    return writer.finish()


def _has_qr(profile: str | None) -> bool:
    if profile is None:
        return True  # the printers this mode is for all have GS ( k
    from printers.profiles import profile_data

    return bool(profile_data(profile).get("features", {}).get("qrCode", True))
