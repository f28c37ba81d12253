"""Personal data typed into free text (a clerk's note: "visitor's phone 13812345678") is
masked before the text is stored in the event log or shown on a staff screen. The event log is
public on the hall board's stream and can never be edited afterwards (its rows are
hash-chained).

DOMAIN.md and the architecture forbid personal data in event payloads "in any written form";
notes are the one place a person can put it there by hand. People write a number the way they
say it: `tel13812345678`, `+86 138-1234-5678`, full-width `１３８１２３４５６７８`,
`ID440304198808085554`, `4403 0419 8808 0855 54`. So digits are read in any script and width,
groups split by spaces or dashes are joined, and a +86/0086 country code is set aside before a
run is matched as a mobile (1[3-9] and 9 more digits) or an ID number (17 digits and a check
character). The matched digits are starred the way screens mask them
(queue_server.domain.masking): 138****5678, 1101**********4578; separators and the rest of the
text stay as written.

Letters may stand before a number (`tel`, `ID`) but not right after it: a run with letters on
both sides (`a13812345678b`) is part of an id or a hash, not a number someone typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

# Spaces, dashes and dots people put inside a number; zero-width ones too, so an invisible
# character cannot split a number past the mask.
SEPARATORS = frozenset(
    " .-\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u3000"
    "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\uff0e"
    "\u200b\u200c\u200d\u2060\ufeff"
)
_SEP_RUN = 3  # at most this many separators between two groups of one number
_GROUP = re.compile(r"\d+(?:[Xx](?![0-9A-Za-z]))?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
_ID_NUMBER = re.compile(r"\d{17}[\dX]")
_COUNTRY_CODES = ("0086", "86")
_SHORTEST_NUMBER = 11  # a mobile's digits; an ID number has 18


def mask_personal_data(text: str) -> str:
    """`text` with every mobile and ID number in it masked; everything else unchanged."""
    if len(text) < _SHORTEST_NUMBER:
        # Too short to hold one (one character per digit at least): most payload values
        # (ticket numbers, service codes) are, and every event's payload is masked.
        return text
    plain = _normalised(text)
    chars = list(text)
    for run in _digit_runs(plain):
        for start, end, keep_head in _numbers_in(plain, run):
            _star(plain, chars, start, end, keep_head)
    return "".join(chars)


# An id the server minted (uuid4().hex) or a digest: a payload value that is one of these is a
# reference to a row, not text a person typed. Left alone, because an id ending in a run like
# "...f16617425274" read as a mobile and was starred: the rating it named was lost to the
# month's assessment (about 2 ids in 10,000).
_OPAQUE_ID = re.compile(r"(?=[0-9a-f]*[a-f])[0-9a-f]{32,64}")


def masked_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _masked(value) for key, value in payload.items()}


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        if _OPAQUE_ID.fullmatch(value):
            return value
        return mask_personal_data(value)
    if isinstance(value, Mapping):
        return masked_payload(value)
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _normalised(text: str) -> str:
    """One character for each character of `text`, so positions carry over: digits of any
    script and width as ASCII digits, full-width X as X, separators as a space."""
    out = []
    for ch in text:
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            out.append(str(digit))
        elif ch in SEPARATORS:
            out.append(" ")
        elif ch in "Xx\uff38\uff58":
            out.append("X")
        elif ch.isascii() and ch.isalpha():
            out.append("a")
        else:
            out.append(ch if ch.isascii() else "\u3001")
    return "".join(out)


def _digit_runs(plain: str) -> list[list[tuple[int, int]]]:
    """Groups of digits (start, end) that are joined by short separator runs, in order."""
    runs: list[list[tuple[int, int]]] = []
    last_end = -1
    for match in _GROUP.finditer(plain):
        start, end = match.span()
        gap = plain[last_end:start] if last_end >= 0 else None
        if gap is not None and 0 < len(gap) <= _SEP_RUN and gap.strip() == "":
            runs[-1].append((start, end))
        else:
            runs.append([(start, end)])
        last_end = end
    return runs


def _numbers_in(plain: str, run: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, digits to leave visible at the head) of each number found in a run of
    groups, longest first from the left."""
    found: list[tuple[int, int, int]] = []
    first = 0
    while first < len(run):
        for last in range(len(run) - 1, first - 1, -1):
            start, end = run[first][0], run[last][1]
            if last == len(run) - 1 and end < len(plain) and plain[end] in "aX":
                continue  # letters right after: part of an id or a code
            head = _number_head(plain[start:end].replace(" ", ""))
            if head is not None:
                found.append((start, end, head))
                first = last + 1
                break
        else:
            first += 1
    return found


def _number_head(digits: str) -> int | None:
    """How many leading characters stay visible if `digits` is a mobile or ID number."""
    if "X" not in digits[:-1] and _ID_NUMBER.fullmatch(digits):
        return 4
    if "X" in digits:
        return None
    if _MOBILE.fullmatch(digits):
        return 3
    for code in _COUNTRY_CODES:
        if digits.startswith(code) and _MOBILE.fullmatch(digits[len(code) :]):
            return len(code) + 3
    return None


def _star(plain: str, chars: list[str], start: int, end: int, keep_head: int) -> None:
    positions = [i for i in range(start, end) if plain[i] != " "]
    for i in positions[keep_head:-4]:
        chars[i] = "*"
