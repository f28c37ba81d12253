"""The intermediate form both renderers consume: paper geometry and layout blocks.

A layout (receipt, notice slip) is a list of blocks that says *what* goes on paper in
which order and style; `raster` turns it into images for a given paper and font, and the
ESC/POS and PNG outputs are both made from that one raster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right"]
TextRole = Literal["small", "body", "large", "title"]


@dataclass(frozen=True)
class Paper:
    width_mm: int
    dots: int  # printable width at 203 dpi
    margin: int
    sizes: tuple[tuple[TextRole, int], ...]
    number_max_mult: int  # ESC/POS character size multiplier cap for the ticket number
    qr_dots: int  # target QR code edge

    @property
    def text_width(self) -> int:
        return self.dots - 2 * self.margin

    def px(self, role: TextRole) -> int:
        return dict(self.sizes)[role]


PAPER_58 = Paper(
    width_mm=58,
    dots=384,
    margin=4,
    sizes=(("small", 20), ("body", 24), ("large", 28), ("title", 32)),
    number_max_mult=5,
    qr_dots=168,
)
PAPER_80 = Paper(
    width_mm=80,
    dots=576,
    margin=8,
    sizes=(("small", 22), ("body", 26), ("large", 32), ("title", 38)),
    number_max_mult=6,
    qr_dots=200,
)


def paper_for(width_mm: int) -> Paper:
    if width_mm == 58:
        return PAPER_58
    if width_mm == 80:
        return PAPER_80
    raise ValueError(f"paper width must be 58 or 80 mm, not {width_mm}")


@dataclass(frozen=True)
class Text:
    text: str
    role: TextRole = "body"
    bold: bool = False
    align: Align = "left"
    inverse: bool = False
    prefix: str = ""  # printed before the first line; wrapped lines are indented past it


@dataclass(frozen=True)
class Number:
    """The ticket number, printed by the printer's own font at large size (it is ASCII)."""

    text: str


@dataclass(frozen=True)
class Rule:
    dashed: bool = True


@dataclass(frozen=True)
class Qr:
    data: str


@dataclass(frozen=True)
class Space:
    dots: int


Block = Text | Number | Rule | Qr | Space
