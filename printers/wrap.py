"""Line wrapping for mixed Chinese / Latin text, measured in printer dots.

CJK (wide) characters may break anywhere; Latin runs break only at spaces unless a single
word is wider than the line. Chinese punctuation follows the usual 禁则 rules: closing marks
never start a line and opening marks never end one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

Measure = Callable[[str], float]

NO_LINE_START = frozenset("，。、；：？！）》」』】〉〕”’…·％,.;:?!)]}%")
NO_LINE_END = frozenset("（《「『【〈〔“‘([{")
WORD_JOINER = "\u2060"


def glue(text: str) -> str:
    """Mark text as unbreakable (e.g. a window name) while still wrapping around it."""
    return WORD_JOINER.join(text)


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def tokenize(text: str) -> list[str]:
    """Split one paragraph into unbreakable tokens; a single space is its own token."""
    raw: list[str] = []
    word = ""
    for ch in text:
        if ch in (" ", WORD_JOINER) or is_wide(ch):
            if word:
                raw.append(word)
                word = ""
            raw.append(ch)
        else:
            word += ch
    if word:
        raw.append(word)

    tokens: list[str] = []
    glued = False
    for tok in raw:
        if tok == WORD_JOINER:
            glued = True
            continue
        joins = bool(tokens) and (
            glued
            or (tok[0] in NO_LINE_START and tokens[-1] != " ")
            or (tokens[-1][-1] in NO_LINE_END and tok != " ")
        )
        if joins:
            tokens[-1] += tok
        else:
            tokens.append(tok)
        glued = False
    return tokens


def _split_long(token: str, max_width: float, width: Measure) -> list[str]:
    pieces: list[str] = []
    current, current_w = "", 0.0
    for ch in token:
        ch_w = width(ch)
        if current and current_w + ch_w > max_width:
            pieces.append(current)
            current, current_w = "", 0.0
        current += ch
        current_w += ch_w
    return [*pieces, current] if current else pieces


def wrap_paragraph(text: str, max_width: float, measure: Measure) -> list[str]:
    # Widths are summed per token (cached) instead of re-measuring the growing line, which
    # was the slowest part of a receipt. Text is drawn with basic layout (no shaping), so
    # the sum equals the drawn width for CJK fonts (Latin kerning shifts it by a dot or two).
    cache: dict[str, float] = {}

    def width(token: str) -> float:
        if token not in cache:
            cache[token] = measure(token)
        return cache[token]

    lines: list[str] = []
    line: list[str] = []
    line_w = 0.0
    spaces: list[str] = []  # held back: they are dropped if the line breaks here
    for token in tokenize(text):
        if token == " ":
            if line:
                spaces.append(token)
            continue
        token_w = width(token)
        spaces_w = sum(width(sp) for sp in spaces)
        if line and line_w + spaces_w + token_w <= max_width:
            line += [*spaces, token]
            line_w += spaces_w + token_w
        else:
            if line:
                lines.append("".join(line))
            line, line_w = [token], token_w
            if token_w > max_width:
                *full, last = _split_long(token, max_width, width)
                lines.extend(full)
                line, line_w = [last], width(last)
        spaces = []
    if line or not lines:
        lines.append("".join(line))
    return lines


def wrap_text(text: str, max_width: float, measure: Measure) -> list[str]:
    """Wrap text to lines no wider than max_width; explicit newlines are kept."""
    if max_width <= 0:
        raise ValueError("max_width must be positive")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(wrap_paragraph(paragraph, max_width, measure))
    return lines
