"""Importing bookings taken elsewhere (the province's booking system), from CSV or iCalendar.

All or nothing: every line is checked, and one bad line rejects the whole file with every
problem listed by line number; nothing is written then. Each booking carries the source's
own reference (CSV `ref`, iCalendar `UID`): a reference already imported with the same
details is left alone, so importing the same file twice changes nothing.

CSV (UTF-8, header line required):

    ref,service,date,time,name,phone,id_number
    GOV-2026-0001,SOC,2026-11-26,09:00,张三,13812345678,110101199003070012

iCalendar: one VEVENT per booking with UID, DTSTART (with TZID, in UTC, or floating = the
hall's local time) and X-HALLQ-SERVICE, X-HALLQ-NAME, X-HALLQ-PHONE, X-HALLQ-ID-NUMBER.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from queue_server.domain.appointments import is_no_show, slot_at
from queue_server.domain.errors import RuleViolation
from queue_server.services.event_log import SYSTEM, Actor
from queue_server.storage.booking_tables import Booking

if TYPE_CHECKING:
    from queue_server.services.bookings.service import BookingService

CSV_COLUMNS = ("ref", "service", "date", "time", "name", "phone", "id_number")
ICS_FIELDS = {
    "service": "X-HALLQ-SERVICE",
    "name": "X-HALLQ-NAME",
    "phone": "X-HALLQ-PHONE",
    "id_number": "X-HALLQ-ID-NUMBER",
}
SHOWN_IN_MESSAGE = 5


@dataclass(frozen=True)
class ImportRow:
    line: int
    ref: str
    service: str
    slot_start: datetime  # naive: the hall's local time
    name: str
    phone: str
    id_number: str


class ImportRejected(RuleViolation):
    code = "import_rejected"

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        shown = "; ".join(f"line {line}: {text}" for line, text in problems[:SHOWN_IN_MESSAGE])
        more = len(problems) - SHOWN_IN_MESSAGE
        if more > 0:
            shown += f"; and {more} more"
        super().__init__(f"{len(problems)} problem(s), nothing was imported: {shown}")
        self.problems = problems
        self.details: list[Any] = [{"line": line, "problem": text} for line, text in problems]


# ----- reading files -----------------------------------------------------------------------


def parse_bookings_file(content: str, fmt: str) -> list[ImportRow]:
    if fmt == "csv":
        try:
            return parse_csv(content)
        except csv.Error as exc:  # a field over the csv module's limit, a stray NUL
            raise ImportRejected([(0, f"not a readable CSV file: {exc}")]) from None
    if fmt == "ics":
        return parse_ics(content)
    raise ImportRejected([(0, f"unknown format {fmt!r}: use csv or ics")])


def parse_csv(content: str) -> list[ImportRow]:
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    problems: list[tuple[int, str]] = []
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header) != CSV_COLUMNS:
        raise ImportRejected([(1, f"the header must be: {','.join(CSV_COLUMNS)}")])
    rows: list[ImportRow] = []
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(CSV_COLUMNS):
            problems.append((line, f"{len(record)} columns, expected {len(CSV_COLUMNS)}"))
            continue
        ref, service, day, clock, name, phone, id_number = (c.strip() for c in record)
        try:
            start = datetime.combine(date.fromisoformat(day), time.fromisoformat(clock))
        except ValueError:
            problems.append((line, f"date {day!r} / time {clock!r}: use 2026-11-26 and 09:00"))
            continue
        if not ref:
            problems.append((line, "ref is empty: each booking needs the source's reference"))
            continue
        rows.append(ImportRow(line, ref, service, start, name, phone, id_number))
    if problems:
        raise ImportRejected(problems)
    return rows


def parse_ics(content: str) -> list[ImportRow]:
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(content)
        events = list(calendar.walk("VEVENT"))
    except Exception as exc:  # the library raises many kinds on malformed input
        raise ImportRejected([(1, f"not a valid iCalendar file: {exc}")]) from None
    # icalendar does not keep line numbers: the n-th VEVENT starts at the n-th BEGIN:VEVENT.
    starts = [
        number
        for number, text in enumerate(content.splitlines(), start=1)
        if text.strip().upper() == "BEGIN:VEVENT"
    ]
    problems: list[tuple[int, str]] = []
    rows: list[ImportRow] = []
    for index, event in enumerate(events):
        line = starts[index] if index < len(starts) else 0
        values = {key: str(event.get(prop, "")).strip() for key, prop in ICS_FIELDS.items()}
        missing = [ICS_FIELDS[k] for k, v in values.items() if not v]
        uid = str(event.get("UID", "")).strip()
        if not uid:
            missing.insert(0, "UID")
        dtstart = event.get("DTSTART")
        if dtstart is None:
            missing.append("DTSTART")
        if missing:
            problems.append((line, f"missing {', '.join(missing)}"))
            continue
        start = getattr(dtstart, "dt", None)
        if not isinstance(start, datetime):
            problems.append((line, "DTSTART is a date without a time"))
            continue
        rows.append(
            ImportRow(
                line,
                uid,
                values["service"],
                start,
                values["name"],
                values["phone"],
                values["id_number"],
            )
        )
    if problems:
        raise ImportRejected(problems)
    if not rows:
        raise ImportRejected([(1, "the file holds no VEVENT")])
    return rows


# ----- writing them --------------------------------------------------------------------------


def import_rows(
    bookings: BookingService, hall_id: str, rows: list[ImportRow], actor: Actor = SYSTEM
) -> tuple[int, int]:
    """(created, unchanged); ImportRejected with every problem, and nothing written, else."""
    from queue_server.services.bookings.service import bookable_service

    hall = bookings.halls.get(hall_id)
    rules = bookings.rules(hall)
    now = bookings.clock.now()
    problems: list[tuple[int, str]] = []
    checked = []
    first_line: dict[str, int] = {}
    for row in rows:
        if row.ref in first_line:
            problems.append((row.line, f"ref {row.ref!r} repeats line {first_line[row.ref]}"))
            continue
        first_line[row.ref] = row.line
        try:
            config = bookable_service(hall, row.service)
            person = bookings.person(row.name, row.phone, row.id_number)
        except RuleViolation as exc:
            problems.append((row.line, exc.message))
            continue
        slot = slot_at(hall.calendar, rules, row.slot_start)
        if slot is None:
            problems.append(
                (row.line, f"{row.slot_start:%Y-%m-%d %H:%M} is not the start of a slot")
            )
            continue
        if is_no_show(rules, slot.start, now):
            problems.append((row.line, f"the slot at {slot.start:%Y-%m-%d %H:%M} is already over"))
            continue
        checked.append((row, config, person, slot))
    if problems:
        raise ImportRejected(problems)
    created = unchanged = 0
    with bookings.db.write() as work:
        for row, config, person, slot in checked:
            existing = work.session.scalars(
                select(Booking).where(Booking.hall_id == hall.id, Booking.source_ref == row.ref)
            ).one_or_none()
            if existing is not None:
                same = (
                    existing.service_code == config.code
                    and existing.slot_start == slot.start
                    and existing.id_hash == person.id_hash
                    and existing.phone == person.phone
                    and existing.name == person.name
                )
                if same:
                    unchanged += 1
                else:
                    problems.append((row.line, _changed(row.ref)))
                continue
            try:
                bookings.create_in(
                    work,
                    hall,
                    config,
                    slot,
                    person,
                    now,
                    source="import",
                    source_ref=row.ref,
                    actor=actor,
                )
            except RuleViolation as exc:
                # Refusals come before anything is written for the row; the transaction is
                # rolled back as a whole below anyway.
                problems.append((row.line, exc.message))
                continue
            created += 1
        if problems:
            raise ImportRejected(problems)
    return created, unchanged


def _changed(ref: str) -> str:
    return f"ref {ref!r} was imported before with other details; cancel it and use a new ref"
