"""Passwords too common to allow ("12345678" and "password" were once accepted).

The most frequent passwords of public breach lists, in their Chinese and international
forms, plus the shapes every such list is full of: one character repeated, a run of
consecutive digits or keyboard letters. Checked in lower case.
"""

from __future__ import annotations

from itertools import pairwise

_LIST = """
    password password1 password12 password123 passw0rd p@ssw0rd p@ssword admin123 admin1234
    administrator root1234 qwerty123 qwertyuiop qwerty1234 asdfghjkl asdf1234 zxcvbnm123
    iloveyou iloveyou1 woaini1314 woaini520 5201314 52013141314 1314520 woaini123 aini1314
    abc12345 abcd1234 abc123456 a1234567 a12345678 aa123456 aa12345678 qq123456 qq1234567
    123456abc 1234abcd 12345abc 123qwe123 1qaz2wsx 1qaz2wsx3edc qazwsxedc zaq12wsx
    football baseball sunshine princess welcome welcome1 monkey123 dragon123 letmein123
    trustno1 superman batman123 master123 starwars shadow123 michael1 jennifer
    changeme changeme1 default1 secret123 test1234 testtest guest123 user1234 login123
    hallq123 hallq1234 12345678a 123456789a 1234567890a 88888888a
"""
COMMON = frozenset(_LIST.split())

KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")


def is_common(password: str) -> bool:
    text = password.lower()
    if text in COMMON or len(set(text)) <= 2:
        return True
    for row in KEYBOARD_ROWS:
        if text in row or text in row[::-1] or text in (row * 2):
            return True
    return text.isdigit() and (_stepped(text) or len(set(text)) <= 3)


def _stepped(digits: str) -> bool:
    """1234…, 9876…, 2468…: one step between every pair of digits."""
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(digits)}
    return len(steps) == 1
