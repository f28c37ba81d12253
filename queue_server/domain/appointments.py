"""Online appointments (预约): slots, the booking horizon, cancellation, the arrival window,
no-shows and the hall's credit rule (docs/appointments.md).

All times are worked out on the hall's calendar in its own time zone. A slot never crosses
the end of a session, so no slot spans the lunch break; a session whose length is not a
multiple of the slot length simply has no slot in its last, shorter stretch.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from queue_server.domain.calendar import HallCalendar
from queue_server.domain.errors import RuleViolation


class BookingState(StrEnum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"
    # An SMS-checked booking whose code was not entered in time (or too many wrong codes).
    EXPIRED = "expired"


# A booking that still holds its place (for the capacity and the one-per-day rule).
ACTIVE_STATES = (BookingState.BOOKED.value, BookingState.CHECKED_IN.value)


class Arrival(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


class BookingRefused(RuleViolation):
    code = "booking_refused"


@dataclass(frozen=True)
class AppointmentRules:
    slot_minutes: int = 60
    horizon_working_days: int = 5
    cancel_before_minutes: int = 120
    bookings_per_person_per_day: int = 1
    arrive_early_minutes: int = 30
    arrive_late_minutes: int = 15
    no_show_limit: int = 3
    no_show_window_days: int = 180
    banned_days: int = 30
    remind_places: int = 3
    verify_by_sms: bool = False
    verify_minutes: int = 10
    verify_attempts: int = 5


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def day_slots(calendar: HallCalendar, day: date, slot_minutes: int) -> list[Slot]:
    """Every slot of a working day, session by session; none for a closed day."""
    if not calendar.is_working_day(day):
        return []
    length = timedelta(minutes=slot_minutes)
    slots: list[Slot] = []
    for session_start, session_end in calendar.session_bounds(day):
        start = session_start
        while start + length <= session_end:
            slots.append(Slot(start, start + length))
            start += length
    return slots


def bookable_days(calendar: HallCalendar, rules: AppointmentRules, now: datetime) -> list[date]:
    """Today (if it is a working day) and the next `horizon_working_days` working days.

    The horizon is at least one, so the next working day can always be booked.
    """
    today = calendar.business_day(now)
    days = [today] if calendar.is_working_day(today) else []
    day = today
    for _ in range(max(rules.horizon_working_days, 1)):
        day = calendar.next_working_day(day)
        days.append(day)
    return days


def bookable_slots(calendar: HallCalendar, rules: AppointmentRules, now: datetime) -> list[Slot]:
    """The slots a visitor may still book now: inside the horizon and not yet started."""
    return [
        slot
        for day in bookable_days(calendar, rules, now)
        for slot in day_slots(calendar, day, rules.slot_minutes)
        if slot.start > now
    ]


def slot_at(calendar: HallCalendar, rules: AppointmentRules, start: datetime) -> Slot | None:
    """The slot that starts exactly at `start` (a time without an offset is the hall's local
    time), or None."""
    if start.tzinfo is None:
        start = start.replace(tzinfo=calendar.zone)
    try:
        day = calendar.business_day(start)
        wanted = calendar.local(start)
    except OverflowError:  # year 1 or 9999: no slot of this hall
        return None
    return next(
        (s for s in day_slots(calendar, day, rules.slot_minutes) if s.start == wanted), None
    )


def check_bookable(
    calendar: HallCalendar, rules: AppointmentRules, now: datetime, start: datetime
) -> Slot:
    """The slot starting at `start` if it may be booked now; otherwise why not."""
    slot = slot_at(calendar, rules, start)
    if slot is None:
        raise BookingRefused(
            f"{start:%Y-%m-%d %H:%M} is not the start of a slot of this hall "
            f"(slots are {rules.slot_minutes} minutes inside the opening hours of working days)",
            code="not_a_slot",
        )
    local = slot.start
    if slot.start <= now:
        raise BookingRefused(
            f"the slot at {local:%Y-%m-%d %H:%M} has already started", code="slot_past"
        )
    last_day = bookable_days(calendar, rules, now)[-1]
    if calendar.business_day(slot.start) > last_day:
        raise BookingRefused(
            f"bookings are taken up to {last_day:%Y-%m-%d} "
            f"({rules.horizon_working_days} working days ahead)",
            code="beyond_horizon",
        )
    return slot


def check_cancellable(
    calendar: HallCalendar, rules: AppointmentRules, now: datetime, slot_start: datetime
) -> None:
    deadline = slot_start - timedelta(minutes=rules.cancel_before_minutes)
    if now > deadline:
        raise BookingRefused(
            f"a booking can be cancelled until {rules.cancel_before_minutes} minutes before "
            f"its slot (here until {calendar.local(deadline):%Y-%m-%d %H:%M})",
            code="too_late_to_cancel",
        )


@dataclass(frozen=True)
class ArrivalWindow:
    opens: datetime
    closes: datetime

    def classify(self, now: datetime) -> Arrival:
        """On time from `opens` (inclusive) until `closes` (exclusive)."""
        if now < self.opens:
            return Arrival.EARLY
        if now < self.closes:
            return Arrival.ON_TIME
        return Arrival.LATE


def arrival_window(rules: AppointmentRules, slot_start: datetime) -> ArrivalWindow:
    return ArrivalWindow(
        opens=slot_start - timedelta(minutes=rules.arrive_early_minutes),
        closes=slot_start + timedelta(minutes=rules.arrive_late_minutes),
    )


def no_show_cutoff(rules: AppointmentRules, now: datetime) -> datetime:
    """Bookings of slots starting at or before this, not checked in, are no-shows: their
    arrival window has closed."""
    return now - timedelta(minutes=rules.arrive_late_minutes)


def is_no_show(rules: AppointmentRules, slot_start: datetime, now: datetime) -> bool:
    """A booking not checked in once its arrival window has closed is a no-show."""
    return slot_start <= no_show_cutoff(rules, now)


def banned_until(rules: AppointmentRules, no_show_days: Iterable[date], today: date) -> date | None:
    """The first day this person may book again, or None when they may book now.

    The hall's credit rule: `no_show_limit` no-shows within `no_show_window_days` bar new
    bookings for `banned_days` after the last of them.
    """
    since = today - timedelta(days=rules.no_show_window_days)
    recent = sorted(d for d in no_show_days if d > since)
    if len(recent) < rules.no_show_limit:
        return None
    until = recent[-1] + timedelta(days=rules.banned_days)
    return until if today < until else None


# ----- booking codes -----------------------------------------------------------------------

# No 0/O, 1/I/L: a code read aloud or typed at the kiosk cannot be mistaken.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """What a visitor typed, as stored: upper case, spaces and dashes dropped."""
    return re.sub(r"[\s-]", "", code).upper()


# ----- what a visitor gives: ID number, phone, name -----------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE = re.compile(r"^1[3-9]\d{9}$")
# The formats of validate_phone and validate_id_number as JSON Schema patterns, for the API's
# schema (separators and +86 where validate_phone drops them; x where the ID is upper-cased).
# The ID number's date of birth and check character are checked by validate_id_number only.
PHONE_PATTERN = r"^[\s-]*(\+[\s-]*8[\s-]*6[\s-]*)?1[\s-]*[3-9]([\s-]*\d){9}[\s-]*$"
ID_NUMBER_PATTERN = r"^\s*\d{17}[\dXx]\s*$"


class InvalidPersonalData(RuleViolation):
    code = "invalid_personal_data"


def id_check_char(first17: str) -> str:
    """The 18th character of a PRC resident ID number (GB 11643, ISO 7064 MOD 11-2)."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(value: str) -> str:
    """The 18-character resident ID number, normalized (upper-case X), or why it is wrong."""
    text = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", text):
        raise InvalidPersonalData(
            "id_number: a resident ID number has 18 characters: 17 digits and a digit or X",
            code="invalid_id_number",
            field="id_number",
            reason="format",
        )
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidPersonalData(
            "id_number: the date of birth inside the ID number is not a real date",
            code="invalid_id_number",
            field="id_number",
            reason="birth_date",
        ) from None
    if born.year < 1900:
        raise InvalidPersonalData(
            "id_number: the date of birth inside the ID number is before 1900",
            code="invalid_id_number",
            field="id_number",
            reason="birth_date",
        )
    if id_check_char(text[:17]) != text[17]:
        raise InvalidPersonalData(
            "id_number: the check character does not match (a digit was mistyped?)",
            code="invalid_id_number",
            field="id_number",
            reason="check_character",
        )
    return text


def validate_phone(value: str) -> str:
    text = re.sub(r"[\s-]", "", value)
    text = text.removeprefix("+86")
    if not _PHONE.fullmatch(text):
        raise InvalidPersonalData(
            "phone: a mobile number has 11 digits and starts with 13-19",
            code="invalid_phone",
            field="phone",
            reason="format",
        )
    return text


def validate_name(value: str) -> str:
    text = " ".join(value.split())
    if not 1 <= len(text) <= 40 or any(c.isdigit() for c in text):
        raise InvalidPersonalData(
            "name: give the name as on the ID card (1-40 characters, no digits)",
            code="invalid_name",
            field="name",
            reason="format",
        )
    return text
