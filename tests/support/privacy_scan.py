"""Finding unmasked personal data in text: PRC resident ID numbers and mobile numbers.

A match must stand alone (no letter or digit either side), so hex ids and hashes that happen
to contain a run of digits are not taken for a phone number. Numbers written the other ways
people write them are found too (docs/reliability.md, "Privacy"): full-width digits, groups
split by spaces or dashes (`138-1234-5678`, `4403 0419 8808 0855 54`) and a +86/0086 country code.
"""

from __future__ import annotations

import re
import unicodedata

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


# A space, dash or full-width space between two digits (not a dot: addresses, versions).
_SPLIT = re.compile(r"(?<=\d)[ \-\u3000\u00a0\u2010-\u2015\uff0d]{1,3}(?=\d)")
_COUNTRY = re.compile(r"(?<![0-9A-Za-z])(?:\+|00)?86(?=1[3-9]\d{9}(?![0-9A-Za-z]))")


def normalised(text: str) -> str:
    joined = _SPLIT.sub("", unicodedata.normalize("NFKC", text))
    return _COUNTRY.sub(" ", joined)


def personal_data(text: str) -> list[str]:
    found: set[str] = set()
    for form in (text, normalised(text)):
        found |= set(ID_NUMBER.findall(form)) | set(MOBILE.findall(form))
    return sorted(found)


def scan(sources: dict[str, str]) -> dict[str, list[str]]:
    """Each source (name -> text) that contains personal data, with what it contains."""
    found = {name: personal_data(text) for name, text in sources.items()}
    return {name: hits for name, hits in found.items() if hits}
