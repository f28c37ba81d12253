"""Token sequences and text for hall-board announcements."""

from __future__ import annotations

import pytest

from queue_server.voice.tokens import (
    all_tokens,
    announcement_text,
    announcement_tokens,
)


def test_zh_tokens_for_a012_at_window_3() -> None:
    assert announcement_tokens("A012", "3", "zh") == [
        "zh_qing",
        "zh_A",
        "zh_0",
        "zh_1",
        "zh_2",
        "zh_hao",
        "zh_dao",
        "zh_3",
        "zh_hao",
        "zh_chuangkou",
        "zh_banli",
    ]


def test_en_tokens_for_a012_at_window_3() -> None:
    assert announcement_tokens("A012", "3", "en") == [
        "en_number",
        "en_A",
        "en_0",
        "en_1",
        "en_2",
        "en_please_go_to_window",
        "en_3",
    ]


def test_late_and_multi_letter_prefixes_are_spelled() -> None:
    assert announcement_tokens("Z999", "1", "zh")[1:5] == ["zh_Z", "zh_9", "zh_9", "zh_9"]
    assert announcement_tokens("vip07", "1", "en")[1:6] == ["en_V", "en_I", "en_P", "en_0", "en_7"]


@pytest.mark.parametrize(
    ("window", "zh", "en"),
    [
        ("12", ["zh_10", "zh_2"], ["en_12"]),
        ("10", ["zh_10"], ["en_10"]),
        ("20", ["zh_2", "zh_10"], ["en_20"]),
        ("23", ["zh_2", "zh_10", "zh_3"], ["en_20", "en_3"]),
        ("99", ["zh_9", "zh_10", "zh_9"], ["en_90", "en_9"]),
        ("03", ["zh_3"], ["en_3"]),
        ("105", ["zh_1", "zh_0", "zh_5"], ["en_1", "en_0", "en_5"]),
        ("b2", ["zh_B", "zh_2"], ["en_B", "en_2"]),
    ],
)
def test_window_numbers(window: str, zh: list[str], en: list[str]) -> None:
    assert announcement_tokens("A1", window, "zh")[5:-3] == zh
    assert announcement_tokens("A1", window, "en")[4:] == en


def test_every_token_has_something_to_say() -> None:
    tokens = all_tokens()
    for number in ["A012", "Z999", "K007", "VIP01"]:
        for window in [*map(str, range(100)), "105", "A3"]:
            for lang in ("zh", "en"):
                assert set(announcement_tokens(number, window, lang)) <= tokens.keys()
    assert {u.voice for tid, u in tokens.items() if tid.startswith("zh_")} == {"cmn"}
    assert {u.voice for tid, u in tokens.items() if tid.startswith("en_")} == {"en"}
    assert tokens["zh_1"].text == "一"
    assert tokens["zh_0"].text == "零"
    assert tokens["zh_10"].text == "十"
    assert all(u.text.strip() for u in tokens.values())


def test_text_form() -> None:
    assert announcement_text("A012", "3", "zh") == "请 A012 号到 3 号窗口办理"
    assert announcement_text("a012", "03", "en") == "Number A012, please go to window 3"
    assert announcement_text("G105", "12", "zh") == "请 G105 号到 12 号窗口办理"


@pytest.mark.parametrize(
    ("number", "window"), [("", "3"), ("A-12", "3"), ("A12", ""), ("A12", "3号")]
)
def test_invalid_number_or_window_is_rejected(number: str, window: str) -> None:
    with pytest.raises(ValueError, match="letters A-Z and digits"):
        announcement_tokens(number, window, "zh")
    with pytest.raises(ValueError, match="letters A-Z and digits"):
        announcement_text(number, window, "en")


def test_unknown_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="'fr'"):
        announcement_tokens("A1", "1", "fr")  # type: ignore[arg-type]
