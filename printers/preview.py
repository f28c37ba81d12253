"""PNG previews of what the printer would print, from the same raster as ESC/POS."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from printers.fonts import FontSet
from printers.layout import render
from printers.receipt import Document, Receipt


def document_image(
    document: Document, width_mm: int = 80, fonts: FontSet | None = None
) -> Image.Image:
    """The paper as a 1-bit image, one pixel per printer dot (width 384 or 576)."""
    return render(document, width_mm, fonts).to_image()


def write_document_png(
    document: Document, path: str | Path, width_mm: int = 80, fonts: FontSet | None = None
) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    document_image(document, width_mm, fonts).save(out, format="PNG")
    return out


def write_receipt_png(
    receipt: Receipt, path: str | Path, width_mm: int = 80, fonts: FontSet | None = None
) -> Path:
    """Entry point for `hallq receipt preview --out x.png`."""
    return write_document_png(receipt, path, width_mm, fonts)
