"""Wrapping rules, with a fake measure: wide (CJK) characters are 2 units, others 1."""

from __future__ import annotations

import pytest

from printers.wrap import glue, is_wide, tokenize, wrap_text


def cells(text: str) -> float:
    return sum(2 if is_wide(ch) else 1 for ch in text)


def test_it_wraps_chinese_per_character() -> None:
    assert wrap_text("政务服务中心办事大厅", 8, cells) == ["政务服务", "中心办事", "大厅"]


def test_it_wraps_latin_per_word() -> None:
    assert wrap_text("please bring your ID card", 12, cells) == ["please bring", "your ID card"]


def test_it_splits_a_word_longer_than_the_line() -> None:
    assert wrap_text("https://hall.example.cn", 10, cells) == ["https://ha", "ll.example", ".cn"]


def test_it_mixes_chinese_and_latin() -> None:
    assert wrap_text("请带身份证 ID card", 10, cells) == ["请带身份证", "ID card"]
    assert wrap_text("前面等候 / Ahead：7 人", 12, cells) == ["前面等候 /", "Ahead：7 人"]


def test_it_keeps_closing_punctuation_off_the_line_start() -> None:
    # "，" would start the second line at a naive break; it goes with the character before.
    assert wrap_text("原件一份，复印件", 8, cells) == ["原件一", "份，复印", "件"]
    assert wrap_text("复印件。", 6, cells) == ["复印", "件。"]


def test_it_keeps_opening_punctuation_off_the_line_end() -> None:
    # A naive break would leave "（" alone at the end of the first line.
    assert wrap_text("请带齐（原件）", 8, cells) == ["请带齐", "（原件）"]


def test_it_keeps_glued_text_together() -> None:
    text = "3号窗口、" + glue("5号窗口")
    assert wrap_text(text, 12, cells) == ["3号窗口、", "5号窗口"]
    assert "\u2060" not in "".join(wrap_text(glue("2024-05-06 09:12"), 40, cells))


def test_it_keeps_explicit_newlines_and_blank_lines() -> None:
    assert wrap_text("第一行\n\n第三行", 20, cells) == ["第一行", "", "第三行"]


def test_it_drops_spaces_at_line_edges() -> None:
    lines = wrap_text("aaaa   bbbb cccc", 9, cells)
    assert lines == ["aaaa", "bbbb cccc"]
    assert all(line == line.strip() for line in lines)


def test_every_line_fits() -> None:
    text = "申请人身份证原件及复印件（正反面），不动产权属证书 and a long English note here"
    for width in range(2, 30):
        assert all(cells(line) <= width for line in wrap_text(text, width, cells))
        assert "".join(wrap_text(text, width, cells)).replace(" ", "") == text.replace(" ", "")


def test_tokens_are_words_and_single_wide_characters() -> None:
    assert tokenize("3号 ok") == ["3", "号", " ", "ok"]


def test_it_rejects_a_non_positive_width() -> None:
    with pytest.raises(ValueError):
        wrap_text("x", 0, cells)
