"""值班日志: the duty lead's entries through the day and the handover note to the next one.

The text stays in its table (it may name visitors or staff); the event says only that an
entry was written, of which kind, by whom.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select

from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.free_text import mask_personal_data
from queue_server.services.database import Database
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallRegistry
from queue_server.storage.floor_tables import DutyLogEntry
from queue_server.storage.tables import User

DUTY_LOG_WRITTEN = EventKind.DUTY_LOG_WRITTEN
MAX_TEXT = 2000


class EntryKind(StrEnum):
    ENTRY = "entry"
    HANDOVER = "handover"


@dataclass(frozen=True)
class EntryView:
    id: str
    kind: EntryKind
    text: str
    business_day: date
    written_at: datetime
    author_staff_no: str
    author_name: str


class DutyLog:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def write(self, hall_id: str, kind: EntryKind, text: str, actor: Actor) -> EntryView:
        hall = self.halls.get(hall_id)
        text = text.strip()
        if not text:
            raise RuleViolation("a duty log entry needs a text", code="empty_entry")
        if len(text) > MAX_TEXT:
            raise RuleViolation(f"a duty log entry is at most {MAX_TEXT} characters")
        if actor.clerk is None:
            raise RuleViolation("a duty log entry is written by a person", code="no_author")
        now = self.clock.now()
        with self.db.write() as work:
            author = work.session.get(User, actor.clerk)
            assert author is not None
            row = DutyLogEntry(
                id=uuid.uuid4().hex,
                hall_id=hall.id,
                business_day=hall.calendar.business_day(now),
                kind=kind.value,
                text=text,
                author_id=author.id,
                written_at=now,
            )
            work.session.add(row)
            work.session.flush()
            append_event(
                work,
                hall.id,
                DUTY_LOG_WRITTEN,
                now,
                actor=actor,
                payload={"entry": row.id, "kind": kind.value},
            )
            return _view(row, author)

    def day(self, hall_id: str, day: date | None = None) -> list[EntryView]:
        hall = self.halls.get(hall_id)
        day = day or hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            rows = session.execute(
                select(DutyLogEntry, User)
                .join(User, User.id == DutyLogEntry.author_id)
                .where(DutyLogEntry.hall_id == hall.id, DutyLogEntry.business_day == day)
                .order_by(DutyLogEntry.written_at)
            ).all()
            return [_view(entry, user) for entry, user in rows]

    def handover_for(self, hall_id: str, reader_id: str | None) -> EntryView | None:
        """The latest handover note left by someone else: what the next duty lead reads first."""
        hall = self.halls.get(hall_id)
        with self.db.read() as session:
            query = (
                select(DutyLogEntry, User)
                .join(User, User.id == DutyLogEntry.author_id)
                .where(
                    DutyLogEntry.hall_id == hall.id,
                    DutyLogEntry.kind == EntryKind.HANDOVER.value,
                )
                .order_by(DutyLogEntry.written_at.desc())
                .limit(1)
            )
            if reader_id is not None:
                query = query.where(DutyLogEntry.author_id != reader_id)
            found = session.execute(query).first()
            return None if found is None else _view(found[0], found[1])


def _view(row: DutyLogEntry, author: User) -> EntryView:
    return EntryView(
        id=row.id,
        kind=EntryKind(row.kind),
        text=mask_personal_data(row.text),  # staff views show notes masked, like the log
        business_day=row.business_day,
        written_at=row.written_at,
        author_staff_no=author.staff_no,
        author_name=author.name,
    )
