"""One rule for text people send: what any field may hold, and what a person's name may.

Any text: no control characters (NUL among them; PostgreSQL refuses NUL in text, SQLite stores
it, and neither is anything a person types) except tab and line breaks, which notes and
imported files hold; and no bidirectional embeddings, overrides or isolates, which make a
screen show text in another order than it is stored (a name that reads differently to the
clerk than to the log).

A person's name (a booking, a complainant, an account): letters and marks of any script,
spaces, and the joiners names use (`·` of 阿依古丽·买买提, `-`, `.`, `'`); no digits, symbols
or emoji.
"""

from __future__ import annotations

import re
import unicodedata

ALLOWED_CONTROLS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
NAME_JOINERS = frozenset(" ·・.-'\u00b7\u2027\u30fb")


# Every character `text_problem` refuses, in one class: category Cc is exactly U+0000-U+001F
# and U+007F-U+009F, Cs exactly U+D800-U+DFFF (a test checks this against unicodedata for every
# code point). Every request's URL and text fields pass here: a scan in C, not two category
# lookups a character (issue 22).
_REFUSED = re.compile(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff]"
)


def text_problem(value: str) -> str | None:
    """Why `value` is refused as text, or None when it is fine."""
    if _REFUSED.search(value) is None:
        return None
    for ch in value:
        if ch in BIDI_CONTROLS:
            return f"contains a bidirectional control character (U+{ord(ch):04X})"
        if unicodedata.category(ch) == "Cc" and ch not in ALLOWED_CONTROLS:
            return f"contains a control character (U+{ord(ch):04X})"
        if unicodedata.category(ch) == "Cs":
            return "contains an unpaired surrogate"
    return None


def name_problem(value: str) -> str | None:
    """Why `value` is refused as a person's name, or None when it is fine."""
    problem = text_problem(value)
    if problem is not None:
        return problem
    for ch in value.strip():
        if ch in NAME_JOINERS or unicodedata.category(ch)[0] in ("L", "M"):
            continue
        return f"contains {ch!r}, which is not part of a name (letters, spaces and · only)"
    if not any(unicodedata.category(ch)[0] == "L" for ch in value):
        return "has no letters"
    return None
