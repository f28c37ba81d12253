"""Finding unmasked personal data in text: PRC resident ID numbers and mobile numbers.

A match must stand alone (no letter or digit either side), so hex ids and hashes that happen
to contain a run of digits are not taken for a phone number.
"""

from __future__ import annotations

import re

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def personal_data(text: str) -> list[str]:
    return sorted(set(ID_NUMBER.findall(text)) | set(MOBILE.findall(text)))


def scan(sources: dict[str, str]) -> dict[str, list[str]]:
    """Each source (name -> text) that contains personal data, with what it contains."""
    found = {name: personal_data(text) for name, text in sources.items()}
    return {name: hits for name, hits in found.items() if hits}
