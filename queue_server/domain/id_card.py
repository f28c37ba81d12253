"""刷身份证取号: what a tap of a resident ID card decides, from the ID number alone.

The kiosk sends the ID number it read (card or keyboard-wedge reader); the date of birth is
the ID number's digits 7-14 (GB 11643), so both kinds of reader give the same answer and the
card's other fields (name, address, photo) never leave the kiosk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from queue_server.domain.appointments import validate_id_number
from queue_server.domain.tickets import Priority


@dataclass(frozen=True)
class IdCardRules:
    # Visitors this old or older get the green channel (绿色通道) where a service offers it;
    # None: the hall gives no priority by age.
    green_channel_age: int | None = 70
    # Numbers one person may take with the card in one business day; a tap past it shows the
    # number already taken instead of issuing another.
    tickets_per_person_per_day: int = 1


def birth_date(id_number: str) -> date:
    """The date of birth inside a valid resident ID number (validated here)."""
    number = validate_id_number(id_number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def age_on(born: date, day: date) -> int:
    """Full years on `day` (a birthday on 29 February counts on 1 March in other years)."""
    before_birthday = (day.month, day.day) < (born.month, born.day)
    return day.year - born.year - int(before_birthday)


def card_priority(rules: IdCardRules, age: int, service_has_green_channel: bool) -> Priority:
    if (
        rules.green_channel_age is not None
        and age >= rules.green_channel_age
        and service_has_green_channel
    ):
        return Priority.GREEN
    return Priority.NORMAL
