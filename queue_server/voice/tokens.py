"""Spoken form of a call: "请 A012 号到 3 号窗口办理" / "Number A012, please go to window 3".

Pure: no I/O. The hall board plays either the text (browser speech synthesis) or a
chain of pre-recorded clips, one per token id returned by `announcement_tokens`.

Reading rules (chosen to match how Chinese service halls call tickets):

* Ticket numbers are read character by character in both languages: "A012" is
  A-零-一-二 / "A zero one two". "1" is read 一 (yī), not 幺 (yāo): 幺 is radio and
  phone usage, and 一 is what visitors expect from a hall announcement.
* Window numbers 0-99 are read as numbers: zh 3 → 三, 10 → 十, 12 → 十二, 20 → 二十,
  23 → 二十三 (二 not 两 before 号, as in 二号窗口); en 12 → "twelve", 23 → "twenty three".
  Leading zeros are ignored ("03" is window 3). Any other window name (e.g. "A3" or
  "105") is spelled character by character, so the window is always spoken.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

Lang = Literal["zh", "en"]

LANGS: tuple[Lang, ...] = ("zh", "en")
VOICES: dict[Lang, str] = {"zh": "cmn", "en": "en"}
"""Language → espeak-ng language code of the voice that speaks its clips."""


class Utterance(NamedTuple):
    """What espeak-ng says for one token, and in which language voice."""

    text: str
    voice: str


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SPELLABLE = re.compile(r"[A-Z0-9]+")

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_WORDS = {
    "zh_qing": "请",
    "zh_hao": "号",
    "zh_dao": "到",
    "zh_chuangkou": "窗口",
    "zh_banli": "办理",
    "zh_10": "十",
}

_EN_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_WORDS = {
    "en_number": "Number",
    "en_please_go_to_window": "please go to window",
}


def all_tokens() -> dict[str, Utterance]:
    """Every token id `announcement_tokens` can return, with what espeak-ng should say."""
    zh = VOICES["zh"]
    en = VOICES["en"]
    tokens: dict[str, Utterance] = {}
    tokens.update({tid: Utterance(text, zh) for tid, text in _ZH_WORDS.items()})
    tokens.update({f"zh_{d}": Utterance(text, zh) for d, text in enumerate(_ZH_DIGITS)})
    tokens.update({f"zh_{ch}": Utterance(ch, zh) for ch in _LETTERS})
    tokens.update({tid: Utterance(text, en) for tid, text in _EN_WORDS.items()})
    tokens.update({f"en_{n}": Utterance(text, en) for n, text in enumerate(_EN_UNITS)})
    tokens.update({f"en_{10 * t}": Utterance(text, en) for t, text in enumerate(_EN_TENS, start=2)})
    tokens.update({f"en_{ch}": Utterance(ch, en) for ch in _LETTERS})
    return tokens


def announcement_tokens(number: str, window: str, lang: Lang) -> list[str]:
    """Token ids, in speaking order, announcing ticket `number` to `window`.

    Raises:
        ValueError: on an unknown language, or a number/window that is empty or holds
            anything but letters A-Z and digits.
    """
    ticket = _normalise(number, "ticket number")
    desk = _normalise(window, "window")
    if lang == "zh":
        return [
            "zh_qing",
            *_spell(ticket, "zh"),
            "zh_hao",
            "zh_dao",
            *_zh_window(desk),
            "zh_hao",
            "zh_chuangkou",
            "zh_banli",
        ]
    if lang == "en":
        return ["en_number", *_spell(ticket, "en"), "en_please_go_to_window", *_en_window(desk)]
    raise ValueError(f"unknown announcement language {lang!r}; expected one of {LANGS}")


def announcement_text(number: str, window: str, lang: Lang) -> str:
    """Sentence for browser speech synthesis, e.g. "请 A012 号到 3 号窗口办理"."""
    ticket = _normalise(number, "ticket number")
    desk = _normalise(window, "window")
    if desk.isdigit():
        desk = str(int(desk))
    if lang == "zh":
        return f"请 {ticket} 号到 {desk} 号窗口办理"
    if lang == "en":
        return f"Number {ticket}, please go to window {desk}"
    raise ValueError(f"unknown announcement language {lang!r}; expected one of {LANGS}")


def _normalise(value: str, what: str) -> str:
    upper = value.strip().upper()
    if not _SPELLABLE.fullmatch(upper):
        raise ValueError(f"{what} {value!r} must be letters A-Z and digits only")
    return upper


def _spell(text: str, lang: Lang) -> list[str]:
    return [f"{lang}_{ch}" for ch in text]


def _window_number(window: str) -> int | None:
    if window.isdigit() and int(window) < 100:
        return int(window)
    return None


def _zh_window(window: str) -> list[str]:
    n = _window_number(window)
    if n is None:
        return _spell(window, "zh")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return [f"zh_{ones}"]
    head = ["zh_10"] if tens == 1 else [f"zh_{tens}", "zh_10"]
    return head + ([f"zh_{ones}"] if ones else [])


def _en_window(window: str) -> list[str]:
    n = _window_number(window)
    if n is None:
        return _spell(window, "en")
    if n < 20:
        return [f"en_{n}"]
    tens, ones = divmod(n, 10)
    return [f"en_{10 * tens}"] + ([f"en_{ones}"] if ones else [])
