"""What the ESC/POS stream is made of, independent of the font's exact pixels."""

from __future__ import annotations

from typing import Any

from escpos.printer import Dummy

from printers.blocks import PAPER_58, PAPER_80
from printers.fonts import FontSet
from printers.layout import escpos_bytes, print_document, render
from printers.raster import ImageSegment, NumberSegment, number_multiplier

GS_V0 = b"\x1dv0"
CUT = b"\x1dV\x00"


def test_it_prints_chinese_as_image(receipt_with: Any, fonts: FontSet) -> None:
    receipt = receipt_with()
    data = escpos_bytes(render(receipt, 80, fonts))
    assert GS_V0 in data
    for text in ("政务服务中心", "不动产登记", "办理窗口"):
        for codec in ("gb18030", "utf-8", "utf-16-le"):
            assert text.encode(codec) not in data, (text, codec)
    assert b"\x1c&" not in data  # FS & (Chinese character mode) is never switched on


def test_it_prints_the_number_large_with_the_printer_font(
    receipt_with: Any, fonts: FontSet
) -> None:
    rendered = render(receipt_with(number="A012"), 80, fonts)
    numbers = [s for s in rendered.segments if isinstance(s, NumberSegment)]
    assert numbers == [NumberSegment("A012", PAPER_80.number_max_mult)]
    data = escpos_bytes(rendered)
    mult = numbers[0].mult - 1
    assert b"\x1d!" + bytes([mult << 4 | mult]) in data
    assert b"A012\n" in data
    assert b"\x1d!\x00" in data  # back to normal size afterwards


def test_it_starts_with_init_and_ends_with_cut(receipt_with: Any, fonts: FontSet) -> None:
    data = escpos_bytes(render(receipt_with(), 58, fonts))
    assert data.startswith(b"\x1b@")
    assert data.endswith(CUT)


def test_it_prints_punctuation_only_lines(receipt_with: Any, fonts: FontSet) -> None:
    receipt = receipt_with(notice="。。。——！", materials=["，", "（）"])
    assert escpos_bytes(render(receipt, 58, fonts)).endswith(CUT)


def test_images_are_exactly_the_paper_width(
    receipt_with: Any, notice_slip: Any, fonts: FontSet
) -> None:
    for doc in (receipt_with(), notice_slip):
        for paper in (PAPER_58, PAPER_80):
            rendered = render(doc, paper.width_mm, fonts)
            images = [s.image for s in rendered.segments if isinstance(s, ImageSegment)]
            assert images and all(img.width == paper.dots for img in images)
            assert all(img.mode == "1" for img in images)


def test_it_prints_on_a_given_escpos_printer_quietly(
    receipt_with: Any, fonts: FontSet, capsys: Any
) -> None:
    printer = Dummy()  # default profile: media width unknown
    print_document(receipt_with(), printer, 58, fonts)
    assert printer.output == escpos_bytes(render(receipt_with(), 58, fonts))
    assert capsys.readouterr().out == ""


def test_long_numbers_shrink_to_fit_one_line() -> None:
    assert number_multiplier("A012", PAPER_58) == PAPER_58.number_max_mult
    assert number_multiplier("VIP-00012345", PAPER_58) == 384 // (12 * 12)
    assert number_multiplier("X" * 100, PAPER_58) == 1
