"""How personal data is shown: never in full (docs/appointments.md, "Privacy").

An ID number keeps its first four and last four characters (`3301**********1234`), a phone
its first three and last four (`138****5678`), a name its first and last character with the
middle starred (`张*三`; two characters: `张*`). These forms are what screens, receipts and
API answers carry; the full values stay in the database (the phone for reminders) or are not
stored at all (the ID number is kept only as a keyed hash).
"""

from __future__ import annotations


def mask_id_number(id_number: str) -> str:
    text = id_number.strip()
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


def mask_phone(phone: str) -> str:
    text = phone.strip()
    if len(text) <= 7:
        return "*" * len(text)
    return f"{text[:3]}{'*' * (len(text) - 7)}{text[-4:]}"


def mask_name(name: str) -> str:
    text = name.strip()
    if len(text) <= 1:
        return "*"
    if len(text) == 2:
        return f"{text[0]}*"
    return f"{text[0]}{'*' * (len(text) - 2)}{text[-1]}"
