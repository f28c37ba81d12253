"""Big block glyphs for ticket numbers such as "A012" or "G105".

Framework-free: `render_big` returns plain lines that any widget (or a test) can print.

Glyphs are drawn on a 5-row pixel grid. Each pixel is two terminal cells wide because a
cell is roughly twice as tall as it is wide; square pixels give horizontal and vertical
strokes the same weight, which is what keeps them legible from across the hall.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

HEIGHT = 5
PIXEL = "██"
BLANK = "  "
GAP = " "

# '#' = ink, '.' = paper. Look-alikes are kept apart on purpose: O is wider than 0,
# B has a flat back unlike 8, G has a spur unlike 6, Z is straight-topped unlike 2.
_PIXELS: dict[str, tuple[str, ...]] = {
    "0": (".##.", "#..#", "#..#", "#..#", ".##."),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": (".##.", "#..#", "..#.", ".#..", "####"),
    "3": ("###.", "...#", ".##.", "...#", "###."),
    "4": ("#..#", "#..#", "####", "...#", "...#"),
    "5": ("####", "#...", "###.", "...#", "###."),
    "6": (".##.", "#...", "###.", "#..#", ".##."),
    "7": ("####", "...#", "..#.", ".#..", ".#.."),
    "8": (".##.", "#..#", ".##.", "#..#", ".##."),
    "9": (".##.", "#..#", ".###", "...#", ".##."),
    "A": (".##.", "#..#", "####", "#..#", "#..#"),
    "B": ("###.", "#..#", "###.", "#..#", "###."),
    "C": (".###", "#...", "#...", "#...", ".###"),
    "D": ("###.", "#..#", "#..#", "#..#", "###."),
    "E": ("####", "#...", "###.", "#...", "####"),
    "F": ("####", "#...", "###.", "#...", "#..."),
    "G": (".###", "#...", "#.##", "#..#", ".###"),
    "H": ("#..#", "#..#", "####", "#..#", "#..#"),
    "I": ("###", ".#.", ".#.", ".#.", "###"),
    "J": ("...#", "...#", "...#", "#..#", ".##."),
    "K": ("#..#", "#.#.", "##..", "#.#.", "#..#"),
    "L": ("#...", "#...", "#...", "#...", "####"),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#"),
    "N": ("#...#", "##..#", "#.#.#", "#..##", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", ".###."),
    "P": ("###.", "#..#", "###.", "#...", "#..."),
    "Q": (".###.", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("###.", "#..#", "###.", "#.#.", "#..#"),
    "S": (".###", "#...", ".##.", "...#", "###."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#..#", "#..#", "#..#", "#..#", ".##."),
    "V": ("#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#.#.#", "##.##", "#...#"),
    "X": ("#...#", ".#.#.", "..#..", ".#.#.", "#...#"),
    "Y": ("#...#", ".#.#.", "..#..", "..#..", "..#.."),
    "Z": ("#####", "...#.", "..#..", ".#...", "#####"),
    "-": ("...", "...", "###", "...", "..."),
}


def _draw(pixels: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(row.replace("#", PIXEL).replace(".", BLANK) for row in pixels)


GLYPHS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {char: _draw(pixels) for char, pixels in _PIXELS.items()}
)
"""Rendered rows for every supported character; all glyphs are `HEIGHT` rows."""


def render_big(text: str) -> list[str]:
    """Render `text` as `HEIGHT` lines of block glyphs, one gap column between glyphs.

    Lowercase is upper-cased. All returned lines have the same width.

    Raises:
        ValueError: if `text` contains a character without a glyph.
    """
    # Upper-case per character: str.upper() can change length ("ß" -> "SS").
    keys = [ch.upper() for ch in text]
    unknown = dict.fromkeys(ch for ch, key in zip(text, keys, strict=True) if key not in GLYPHS)
    if unknown:
        shown = ", ".join(repr(ch) for ch in unknown)
        raise ValueError(
            f"cannot draw {shown} in {text!r}: big glyphs exist only for 0-9, A-Z and '-'"
        )
    glyphs = [GLYPHS[key] for key in keys]
    return [GAP.join(glyph[row] for glyph in glyphs) for row in range(HEIGHT)]
