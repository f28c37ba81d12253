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

import unicodedata

ALLOWED_CONTROLS = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
NAME_JOINERS = frozenset(" ·・.-'\u00b7\u2027\u30fb")


def text_problem(value: str) -> str | None:
    """Why `value` is refused as text, or None when it is fine."""
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
