"""Golden bytes for the native GB18030 receipt, read back by an independent decoder.

Native mode draws nothing itself, so its bytes depend on no font: the golden holds on every
machine. The decoder (tests/support/escpos_printer.py) turns the bytes back into lines of
Chinese text with their size and alignment, and the QR code's content. Regenerate after a
deliberate change with:  HALLQ_REGEN_GOLDEN=1 .venv/bin/pytest tests/printers -k native_golden
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import qrcode

from printers.layout import layout
from printers.native import CHINESE_ON, INIT, native_bytes
from printers.profiles import paper_for_printer
from tests.support.escpos_printer import read_job

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("HALLQ_REGEN_GOLDEN") == "1"
CASES = [
    ("receipt_native_80mm", 80, "zh", None),
    ("receipt_native_58mm_en", 58, "en", None),
    ("receipt_native_pos5890", 58, "zh", "POS-5890"),
]


@pytest.mark.parametrize(("case", "width_mm", "lang", "profile"), CASES)
def test_native_receipt_matches_golden_bytes(
    receipt_with: Any, case: str, width_mm: int, lang: str, profile: str | None
) -> None:
    receipt = receipt_with(lang=lang)
    data = native_bytes(layout(receipt), paper_for_printer(width_mm, profile), profile).data
    golden = GOLDEN / f"{case}.bin"
    if REGEN:
        golden.write_bytes(data)
        return
    assert data == golden.read_bytes(), f"{case}: bytes differ; if intended, regenerate"
    # About 1 KB with the printer's QR command, under 4 KB with the QR as a small raster:
    # not the 40-60 KB of an all-raster receipt.
    assert len(data) < (2048 if profile is None else 4096)


def test_the_decoder_reads_the_chinese_back(receipt_with: Any) -> None:
    receipt = receipt_with()
    data = (GOLDEN / "receipt_native_80mm.bin").read_bytes()
    assert data.startswith(INIT + CHINESE_ON)
    job = read_job(data)
    assert job.cuts == 1
    lines = job.lines
    text = "\n".join(job.text)
    hall = lines[0]
    assert (hall.text, hall.align, hall.bold, hall.height) == ("某某市政务服务中心", 1, True, 2)
    [number] = [line for line in lines if line.text == "A012"]
    assert (number.align, number.width, number.height) == (1, 4, 4)
    [kind] = [line for line in lines if line.text == "绿色通道"]
    assert kind.inverse
    assert any(line.text == "不动产登记" and line.height == 2 for line in lines)
    assert "前面等候 / Ahead：7 人" in text
    assert "预计等候 / Est. wait：12-18 分钟" in text
    assert "办理窗口 / Windows：3号窗口、5号窗口" in text
    assert "取号时间 / Issued：2024-05-06 09:12" in text
    joined = "".join(job.text)
    for material in receipt.materials:
        assert material in joined  # wrapped across lines, but every character there
    assert "1. 申请人身份证原件及复印件（正反面）" in text
    assert "过号请重新取号，请妥善保管此票" in joined
    assert job.qr_codes == [receipt.status_url]


def test_four_byte_gb18030_characters_survive(receipt_with: Any) -> None:
    # 𠮷 (U+20BB7) is outside GBK: GB18030 encodes it in four bytes.
    receipt = receipt_with(service_name="𠮷祥街道社区服务")
    data = native_bytes(layout(receipt), paper_for_printer(80)).data
    assert "𠮷".encode("gb18030") in data and len("𠮷".encode("gb18030")) == 4
    assert "𠮷祥街道社区服务" in read_job(data).text


def test_printers_without_the_qr_command_get_a_small_raster(receipt_with: Any) -> None:
    data = (GOLDEN / "receipt_native_pos5890.bin").read_bytes()
    job = read_job(data)
    assert job.qr_codes == []
    [(width, height)] = job.images
    assert width <= 384 and height <= 384
    assert "某某市政务服务中心" in job.text[0] + job.text[1]
    # Module by module, the raster is the QR code of the status page.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(receipt_with().status_url)
    code.make(fit=True)
    matrix = code.get_matrix()
    [bitmap] = job.bitmaps
    module = height // len(matrix)
    assert module * len(matrix) == height and module >= 3
    sampled = [
        [bitmap[y * module + module // 2][x * module + module // 2] for x in range(len(matrix))]
        for y in range(len(matrix))
    ]
    assert sampled == matrix
