"""PNG previews: paper-wide, same raster as the printer gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from printers.blocks import PAPER_58, PAPER_80, Text
from printers.fonts import FontSet
from printers.layout import layout_receipt, render
from printers.preview import write_document_png, write_receipt_png
from printers.raster import text_lines

LONG_MATERIAL = "申请人及共有人的身份证原件及复印件（正反面复印在同一张A4纸上）"


@pytest.mark.parametrize(("width_mm", "dots"), [(58, 384), (80, 576)])
def test_it_writes_a_png_as_wide_as_the_paper(
    width_mm: int, dots: int, receipt_with: Any, fonts: FontSet, tmp_path: Path
) -> None:
    out = write_receipt_png(receipt_with(), tmp_path / "sub" / "r.png", width_mm, fonts)
    with Image.open(out) as img:
        assert img.format == "PNG"
        assert img.width == dots
        assert 600 < img.height < 3000
        assert img.getextrema() == (0, 255)  # something black on white


def test_the_png_is_the_printed_raster(receipt_with: Any, fonts: FontSet, tmp_path: Path) -> None:
    rendered = render(receipt_with(), 58, fonts)
    out = write_receipt_png(receipt_with(), tmp_path / "r.png", 58, fonts)
    with Image.open(out) as img:
        assert img.convert("1").tobytes() == rendered.to_image().tobytes()


def test_58mm_wraps_long_chinese_material_lines(receipt_with: Any, fonts: FontSet) -> None:
    block = Text(LONG_MATERIAL, prefix="1. ")
    on_58 = text_lines(block, PAPER_58, fonts)
    on_80 = text_lines(block, PAPER_80, fonts)
    assert len(on_58) >= 2
    assert len(on_58) > len(on_80)
    assert "".join(on_58) == LONG_MATERIAL
    assert block in layout_receipt(receipt_with(materials=[LONG_MATERIAL]))


def test_58mm_receipt_grows_with_wrapped_materials(receipt_with: Any, fonts: FontSet) -> None:
    short = render(receipt_with(materials=["户口本"]), 58, fonts).to_image()
    long = render(receipt_with(materials=[LONG_MATERIAL]), 58, fonts).to_image()
    assert long.height > short.height


def test_it_previews_a_notice_slip(notice_slip: Any, fonts: FontSet, tmp_path: Path) -> None:
    out = write_document_png(notice_slip, tmp_path / "slip.png", 80, fonts)
    with Image.open(out) as img:
        assert img.width == 576
