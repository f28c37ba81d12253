"""Ratings from the window displays (好差评) and the follow-ups the bad ones open.

Confidential by design: the event a rating appends names neither the ticket nor the level,
and a follow-up is opened inside that same event's transaction rather than announced by an
event of its own, so the live stream (which boards, displays and consoles read) never tells
a clerk which visitor gave which rating. Levels, reasons and follow-ups are read through
endpoints for the duty lead and supervision only.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.domain.events import EventKind
from queue_server.domain.rating import (
    Level,
    check_rating_window,
    check_reasons,
    follow_up_deadline,
    is_bad,
)
from queue_server.domain.tickets import TicketState
from queue_server.services.database import Database
from queue_server.services.errors import Conflict
from queue_server.services.event_log import Actor, append_event
from queue_server.services.halls import HallRegistry
from queue_server.services.queries import lock_ticket
from queue_server.storage.tables import Event, FollowUp, Rating, Ticket

RATING_GIVEN = EventKind.RATING_GIVEN


@dataclass(frozen=True)
class RatingReceipt:
    rating: str
    follow_up: bool  # a bad rating: someone will follow it up
    follow_up_deadline: date | None


@dataclass(frozen=True)
class LevelCount:
    window: int
    level: Level
    count: int


class RatingService:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def rate(
        self,
        hall_id: str,
        window_no: int,
        ticket_id: str,
        level: Level,
        reasons: Sequence[str],
        device: str,
        visitor_phone: str | None = None,
    ) -> RatingReceipt:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        chosen = check_reasons(level, reasons)
        if visitor_phone and not is_bad(level):
            raise RuleViolation(
                "a phone number is asked for only with a bad rating, for its follow-up",
                code="invalid_request",
            )
        try:
            with self.db.write() as work:
                session = work.session
                row = lock_ticket(session, hall.id, ticket_id)
                facts = _rating_facts(session, row, window_no)
                if facts.rated:
                    raise Conflict(f"ticket {row.number} has already been rated", code="rated")
                self._check_just_finished(row, window_no, now, facts.finished_since)
                rating_id = uuid.uuid4().hex
                business_day = hall.calendar.business_day(now)
                # A Core INSERT (most finished cases are rated, so this is on the hot path):
                # a second rating of the ticket fails here on its unique key.
                session.execute(
                    _INSERT_RATING,
                    {
                        "id": rating_id,
                        "ticket_id": row.id,
                        "hall_id": hall.id,
                        "window_no": window_no,
                        "clerk_id": facts.finished_by,
                        "business_day": business_day,
                        "level": level.value,
                        "reasons": list(chosen),
                        "device": device,
                        "rated_at": now,
                    },
                )
                deadline = None
                if is_bad(level):
                    deadline = follow_up_deadline(
                        hall.calendar,
                        business_day,
                        hall.config.rating.follow_up_working_days,
                    )
                    session.add(
                        FollowUp(
                            id=uuid.uuid4().hex,
                            hall_id=hall.id,
                            rating_id=rating_id,
                            opened_at=now,
                            deadline=deadline,
                            state="open",
                            visitor_phone=visitor_phone or None,
                        )
                    )
                append_event(
                    work,
                    hall.id,
                    RATING_GIVEN,
                    now,
                    actor=Actor(device=device),
                    window=window_no,
                    payload={"rating": rating_id},
                )
                return RatingReceipt(rating_id, deadline is not None, deadline)
        except IntegrityError:
            raise Conflict("this ticket has already been rated", code="rated") from None

    def _check_just_finished(
        self, row: Ticket, window_no: int, now: datetime, finished_since: int
    ) -> None:
        if row.window_no != window_no or row.state != TicketState.FINISHED:
            raise RuleViolation(
                f"ticket {row.number} was not finished at window {window_no}; only the case "
                "just finished here can be rated",
                code="not_rateable",
            )
        assert row.finished_at is not None
        if finished_since:
            raise RuleViolation(
                f"window {window_no} has finished another case since {row.number}; only the "
                "case just finished can be rated",
                code="not_rateable",
            )
        hall = self.halls.get(row.hall_id)
        check_rating_window(
            row.finished_at, now, timedelta(minutes=hall.config.rating.accept_minutes)
        )

    def summary(self, hall_id: str, day: date) -> list[LevelCount]:
        """Counts per window and level for one day: what sampling and the bulletin use."""
        self.halls.get(hall_id)
        with self.db.read() as session:
            rows = session.execute(
                select(Rating.window_no, Rating.level, func.count())
                .where(Rating.hall_id == hall_id, Rating.business_day == day)
                .group_by(Rating.window_no, Rating.level)
                .order_by(Rating.window_no, Rating.level)
            ).all()
        return [LevelCount(w, Level(level), int(n)) for w, level, n in rows]


@dataclass(frozen=True)
class _RatingFacts:
    rated: bool  # the ticket already has a rating
    finished_since: int  # cases the window finished after this one
    finished_by: str | None  # the clerk whose finish the rating is about


_INSERT_RATING = insert(cast(Table, Rating.__table__))

# What a rating checks and records, read in one round trip: built once, a rating follows
# most finished cases.
_RATING_FACTS = select(
    select(Rating.id)
    .where(Rating.ticket_id == bindparam("tid"))
    .limit(1)
    .scalar_subquery()
    .label("rated"),
    select(func.count())
    .where(
        Ticket.hall_id == bindparam("hall"),
        Ticket.window_no == bindparam("window"),
        Ticket.state == TicketState.FINISHED.value,
        Ticket.finished_at > bindparam("finished_at"),
    )
    .scalar_subquery()
    .label("finished_since"),
    select(Event.clerk_id)
    .where(Event.ticket_id == bindparam("tid"), Event.kind == EventKind.TICKET_FINISHED.value)
    .order_by(Event.seq.desc())
    .limit(1)
    .scalar_subquery()
    .label("finished_by"),
)


def _rating_facts(session: Session, row: Ticket, window_no: int) -> _RatingFacts:
    facts = session.execute(
        _RATING_FACTS,
        {"tid": row.id, "hall": row.hall_id, "window": window_no, "finished_at": row.finished_at},
    ).one()
    return _RatingFacts(facts.rated is not None, int(facts.finished_since or 0), facts.finished_by)
