"""Paper geometry for a real printer: its width in dots decides the layout.

"80 mm" is 576 dots on most Chinese printers but 512 on the Epson TM-T88 class (and 58 mm is
384 or 360): the dots come from the hall's setting, else the python-escpos capabilities
profile, else the paper's usual width.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from printers.blocks import Paper, paper_for

MIN_DOTS, MAX_DOTS = 200, 832  # narrower holds no receipt; 832 is 104 mm at 203 dpi
SLOW_RECEIPT_SECONDS = 10.0  # longer and the visitor walks away before the slip is out


class UnknownProfile(ValueError):
    """The printer profile is not in python-escpos's capabilities database."""


def profile_data(name: str) -> dict[str, Any]:
    from escpos.capabilities import CAPABILITIES

    profiles = CAPABILITIES["profiles"]
    if name not in profiles:
        raise UnknownProfile(
            f"no printer profile {name!r} in python-escpos (e.g. TM-T88V, TM-T20II, "
            f"POS-5890, default)"
        )
    return dict(profiles[name])


def profile_dots(name: str) -> int | None:
    """The profile's printable width in dots; None when the database does not say."""
    pixels = profile_data(name).get("media", {}).get("width", {}).get("pixels")
    return pixels if isinstance(pixels, int) and pixels > 0 else None


def paper_for_printer(width_mm: int, profile: str | None = None, dots: int | None = None) -> Paper:
    """The paper to lay out for: `dots` wins, then the profile's width, then the paper's."""
    paper = paper_for(width_mm)
    if dots is None and profile is not None:
        dots = profile_dots(profile)
    if dots is None or dots == paper.dots:
        return paper
    if not MIN_DOTS <= dots <= MAX_DOTS:
        raise ValueError(
            f"a receipt needs {MIN_DOTS}-{MAX_DOTS} dots, not {dots}"
            + (f" (profile {profile})" if profile else "")
        )
    return replace(paper, dots=dots, qr_dots=min(paper.qr_dots, dots // 2))


def slow_line_warning(kind: str, baudrate: int, mode: str, typical_bytes: int) -> str | None:
    """What to tell the hall at start-up when raster receipts crawl over a serial line."""
    if kind != "serial" or mode != "raster":
        return None
    seconds = typical_bytes * 10 / baudrate
    if seconds <= SLOW_RECEIPT_SECONDS:
        return None
    return (
        f"raster receipts take about {seconds:.0f} s each at {baudrate} baud; if the "
        f"printer has a Chinese font (most sold in China do) add ,mode=native to "
        f"--printer (about 1 KB, 1 s), or raise the line's baud rate (docs/kiosk.md)"
    )
