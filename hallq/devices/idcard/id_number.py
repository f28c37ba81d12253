"""The resident ID number's own checks (GB 11643): 17 digits, a check character, a real date.

The kiosk checks what a reader gives before anything is sent: a misread or a keyboard
burst that only looks like an ID number goes no further.
"""

from __future__ import annotations

import re
from datetime import date

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"  # ISO 7064 MOD 11-2


def check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def valid_id_number(text: str) -> str | None:
    """The number with an upper-case X, or None when it is not a valid ID number."""
    number = text.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return None
    if check_char(number[:17]) != number[17]:
        return None
    born = birth_date(number)
    if born is None or born.year < 1900:
        return None
    return number


def masked(number: str) -> str:
    """3301**********1234, as the server masks it (queue_server/domain/masking.py)."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
