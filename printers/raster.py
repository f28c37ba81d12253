"""Blocks -> bitmaps for one paper width: the single raster both ESC/POS and PNG use.

Consecutive drawn blocks are merged into one image so the printer gets few, large raster
commands; the ticket number stays a separate segment because the printer draws it itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import qrcode
from PIL import Image, ImageDraw

from printers.blocks import Block, Number, Paper, Qr, Rule, Space, Text
from printers.fonts import RENDER_LOCK, FontSet
from printers.wrap import wrap_text

WHITE = 255
BLACK = 0
LINE_HEIGHT = 1.3  # times the font size
BASELINE = 1.03  # CJK glyphs sit ~0.88 em above the baseline; this centres them in the line
PRINTER_CHAR_W, PRINTER_CHAR_H = 12, 24  # ESC/POS font A cell at 1x
RULE_HEIGHT = 14
INVERSE_PAD = 6
QR_QUIET_MODULES = 4  # the QR standard's quiet zone; phone readers miss codes with less


@dataclass(frozen=True, eq=False)
class ImageSegment:
    image: Image.Image  # mode "1", paper width


@dataclass(frozen=True)
class NumberSegment:
    text: str
    mult: int


Segment = ImageSegment | NumberSegment


def number_multiplier(text: str, paper: Paper) -> int:
    """Largest ESC/POS size multiplier (1..8) that keeps the number on one line."""
    fit = paper.dots // (PRINTER_CHAR_W * max(len(text), 1))
    return max(1, min(paper.number_max_mult, fit, 8))


@dataclass(frozen=True, eq=False)
class Rendered:
    paper: Paper
    segments: tuple[Segment, ...]
    fonts: FontSet
    title: str

    @property
    def height_dots(self) -> int:
        """The paper length the job prints, in dots (the number at its printed size)."""
        return sum(
            seg.image.height if isinstance(seg, ImageSegment) else PRINTER_CHAR_H * seg.mult
            for seg in self.segments
        )

    def to_image(self) -> Image.Image:
        parts = [
            seg.image if isinstance(seg, ImageSegment) else _number_image(seg, self)
            for seg in self.segments
        ]
        height = sum(p.height for p in parts)
        out = Image.new("1", (self.paper.dots, max(height, 1)), 1)
        y = 0
        for part in parts:
            out.paste(part, (0, y))
            y += part.height
        return out


def _number_image(seg: NumberSegment, doc: Rendered) -> Image.Image:
    # Preview stand-in for the printer's font A at seg.mult size.
    cell_w, cell_h = PRINTER_CHAR_W * seg.mult, PRINTER_CHAR_H * seg.mult
    pad = 4 * seg.mult
    img = Image.new("L", (doc.paper.dots, cell_h + pad), WHITE)
    font = doc.fonts.font(int(cell_h * 0.95), bold=True)
    left = (doc.paper.dots - cell_w * len(seg.text)) // 2
    with RENDER_LOCK:
        draw = ImageDraw.Draw(img)
        for i, ch in enumerate(seg.text):
            cx = left + i * cell_w + cell_w // 2
            draw.text((cx, pad // 2 + int(cell_h * 0.85)), ch, font=font, fill=BLACK, anchor="ms")
    return _to_1bit(img)


def _to_1bit(img: Image.Image) -> Image.Image:
    return img.convert("1", dither=Image.Dither.NONE)


def text_lines(block: Text, paper: Paper, fonts: FontSet) -> list[str]:
    """The lines a text block wraps to on this paper (prefix not included)."""
    font = fonts.font(paper.px(block.role), bold=block.bold)
    pad = INVERSE_PAD if block.inverse else 0
    indent = font.getlength(block.prefix) if block.prefix else 0.0
    with RENDER_LOCK:
        return wrap_text(block.text, paper.text_width - 2 * pad - indent, font.getlength)


def _text_strip(block: Text, paper: Paper, fonts: FontSet) -> Image.Image:
    size = paper.px(block.role)
    font = fonts.font(size, bold=block.bold)
    fake_bold = block.bold and fonts.bold == fonts.regular
    stroke = max(1, size // 28) if fake_bold else 0
    pad = INVERSE_PAD if block.inverse else 0
    indent = font.getlength(block.prefix) if block.prefix else 0.0
    lines = text_lines(block, paper, fonts)
    line_h = round(size * LINE_HEIGHT)
    img = Image.new("L", (paper.dots, line_h * len(lines) + 2 * pad), WHITE)
    draw = ImageDraw.Draw(img)
    fg = WHITE if block.inverse else BLACK
    widths = [font.getlength(line) + (indent if i == 0 else 0) for i, line in enumerate(lines)]
    if block.inverse:
        widest = max(widths) + 2 * pad
        x0 = _aligned_x(block.align, widest, paper)
        draw.rectangle((x0, 0, x0 + widest, img.height - 1), fill=BLACK)
    for i, line in enumerate(lines):
        x = _aligned_x(block.align, widths[i], paper) + (indent if i else 0)
        y = pad + i * line_h + round(size * BASELINE)
        text = block.prefix + line if i == 0 else line
        draw.text(
            (x, y), text, font=font, fill=fg, anchor="ls", stroke_width=stroke, stroke_fill=fg
        )
    return img


def _aligned_x(align: str, width: float, paper: Paper) -> float:
    if align == "center":
        return paper.margin + (paper.text_width - width) / 2
    if align == "right":
        return paper.margin + paper.text_width - width
    return float(paper.margin)


def _rule_strip(block: Rule, paper: Paper) -> Image.Image:
    img = Image.new("L", (paper.dots, RULE_HEIGHT), WHITE)
    draw = ImageDraw.Draw(img)
    y = RULE_HEIGHT // 2
    if not block.dashed:
        draw.rectangle((paper.margin, y - 1, paper.dots - paper.margin, y), fill=BLACK)
        return img
    for x in range(paper.margin, paper.dots - paper.margin, 12):
        draw.rectangle((x, y - 1, min(x + 7, paper.dots - paper.margin), y), fill=BLACK)
    return img


def _qr_strip(block: Qr, paper: Paper) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(block.data)
    code.make(fit=True)
    matrix = code.get_matrix()
    modules = len(matrix)
    box = max(2, paper.qr_dots // modules)
    small = Image.new("L", (modules, modules), WHITE)
    small.putdata([BLACK if cell else WHITE for row in matrix for cell in row])
    big = small.resize((modules * box, modules * box), Image.Resampling.NEAREST)
    quiet = QR_QUIET_MODULES * box
    img = Image.new("L", (paper.dots, big.height + 2 * quiet), WHITE)
    img.paste(big, ((paper.dots - big.width) // 2, quiet))
    return img


def _strip(block: Block, paper: Paper, fonts: FontSet) -> Image.Image:
    if isinstance(block, Text):
        return _text_strip(block, paper, fonts)
    if isinstance(block, Rule):
        return _rule_strip(block, paper)
    if isinstance(block, Qr):
        return _qr_strip(block, paper)
    if isinstance(block, Space):
        return Image.new("L", (paper.dots, max(block.dots, 1)), WHITE)
    raise TypeError(f"not a drawn block: {block!r}")


def _stack(strips: list[Image.Image], paper: Paper) -> ImageSegment:
    canvas = Image.new("L", (paper.dots, sum(s.height for s in strips)), WHITE)
    y = 0
    for strip in strips:
        canvas.paste(strip, (0, y))
        y += strip.height
    return ImageSegment(_to_1bit(canvas))


def rasterize(blocks: Sequence[Block], paper: Paper, fonts: FontSet, title: str = "") -> Rendered:
    segments: list[Segment] = []
    pending: list[Image.Image] = []
    with RENDER_LOCK:
        for block in blocks:
            if isinstance(block, Number):
                if pending:
                    segments.append(_stack(pending, paper))
                    pending = []
                segments.append(NumberSegment(block.text, number_multiplier(block.text, paper)))
            else:
                pending.append(_strip(block, paper, fonts))
        if pending:
            segments.append(_stack(pending, paper))
    return Rendered(paper, tuple(segments), fonts, title)
