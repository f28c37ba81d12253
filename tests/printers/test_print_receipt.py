"""Receipt data rules and what the layout puts on paper."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from printers.blocks import Number, Qr, Text
from printers.layout import layout_notice_slip, layout_receipt
from printers.wrap import WORD_JOINER


def texts(blocks: list[Any]) -> list[str]:
    return [(b.prefix + b.text).replace(WORD_JOINER, "") for b in blocks if isinstance(b, Text)]


def test_receipt_requires_an_aware_issue_time(receipt_with: Any) -> None:
    with pytest.raises(ValueError, match="timezone"):
        receipt_with(issued_at=datetime(2024, 5, 6, 9, 0))


def test_receipt_is_immutable_even_its_lists(receipt_with: Any) -> None:
    windows = ["3号窗口"]
    receipt = receipt_with(windows=windows)
    windows.append("9号窗口")
    assert receipt.windows == ("3号窗口",)
    with pytest.raises(AttributeError):
        receipt.number = "B001"


@pytest.mark.parametrize(
    "bad", [{"ahead": -1}, {"lang": "fr"}, {"number": "甲12"}, {"materials": "身份证"}]
)
def test_receipt_rejects_bad_values(receipt_with: Any, bad: dict[str, Any]) -> None:
    with pytest.raises((ValueError, TypeError)):
        receipt_with(**bad)


def test_layout_has_number_kind_label_and_qr(receipt_with: Any) -> None:
    blocks = layout_receipt(receipt_with())
    label = blocks[blocks.index(Number("A012")) + 1]
    assert isinstance(label, Text)
    assert label.text == "绿色通道"
    assert label.inverse
    assert Qr("https://hall.example.gov.cn/q/A012?d=20240506") in blocks


def test_chinese_labels_first_by_default_english_first_in_en(receipt_with: Any) -> None:
    zh = texts(layout_receipt(receipt_with()))
    en = texts(layout_receipt(receipt_with(lang="en")))
    assert "前面等候 / Ahead：7 人" in zh
    assert "Ahead / 前面等候: 7 people" in en


def test_issue_time_is_printed_as_given_in_hall_time(receipt_with: Any) -> None:
    lines = texts(layout_receipt(receipt_with()))
    assert "取号时间 / Issued：2024-05-06 09:12" in lines
    assert "办理窗口 / Windows：3号窗口、5号窗口" in lines


def test_optional_lines_are_left_out(receipt_with: Any) -> None:
    lines = texts(
        layout_receipt(
            receipt_with(
                kind_label=None, estimated_wait=None, windows=[], materials=[], hall_name_en=None
            )
        )
    )
    assert not any(
        "绿色通道" in t or "预计等候" in t or "办理窗口" in t or "材料" in t for t in lines
    )


def test_receipt_materials_are_capped_with_a_pointer_to_the_guide(receipt_with: Any) -> None:
    materials = [f"材料{i}" for i in range(1, 9)]
    lines = texts(layout_receipt(receipt_with(materials=materials), max_materials=5))
    assert "5. 材料5" in lines and "6. 材料6" not in lines
    assert any(t.startswith("另有 3 项") for t in lines)


def test_reprint_is_marked(receipt_with: Any) -> None:
    assert "补打 / REPRINT" in texts(layout_receipt(receipt_with(reprint=True)))


def test_notice_slip_lists_every_missing_material(notice_slip: Any) -> None:
    materials = [f"材料{i}" for i in range(1, 13)]
    lines = texts(layout_notice_slip(replace(notice_slip, missing_materials=materials)))
    assert "材料补齐通知书" in lines
    assert "12. 材料12" in lines
    assert "登记号：BZ-20240506-0031" in lines
    assert "日期：2024年5月6日" in lines
    assert "窗口工作人员：张三" in lines
