"""What the duty lead does from the floor monitor, each change one event with who did it.

- reassign the services a window serves (a backup window takes over a long queue): the
  window's rows in `window_services` are what the call policy reads, so the next call-next
  follows at once;
- open or close a window;
- stop or resume issuing for a service (issuing then refuses with 409 issuing_stopped);

these three are decisions of the business day: they hold for the rest of the day across
restarts, and the next business day starts from the hall file again (services/floor_day.py);
- an announcement on the hall board;
- a backup cover (B岗顶岗) while a window's clerk is away 30 minutes to 2 hours.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation, WindowBusy
from queue_server.domain.events import EventKind
from queue_server.domain.floor import CoverLimits, check_cover_minutes
from queue_server.domain.free_text import mask_personal_data
from queue_server.services.database import Database
from queue_server.services.errors import NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.floor_day import ensure_floor_day
from queue_server.services.hall_lock import hold_hall
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.queries import current_ticket, lock_window
from queue_server.services.window_weights import forget_window_weights
from queue_server.storage.floor_tables import BackupCover, HallAnnouncement
from queue_server.storage.tables import Service, User, WindowService

SERVICES_CHANGED = EventKind.WINDOW_SERVICES_CHANGED
WINDOW_OPENED = EventKind.WINDOW_OPENED
WINDOW_CLOSED = EventKind.WINDOW_CLOSED
ISSUING_STOPPED = EventKind.SERVICE_ISSUING_STOPPED
ISSUING_RESUMED = EventKind.SERVICE_ISSUING_RESUMED
ANNOUNCED = EventKind.HALL_ANNOUNCEMENT
COVER_RECORDED = EventKind.WINDOW_BACKUP_COVER

MAX_WEIGHT = 100


@dataclass(frozen=True)
class Announcement:
    id: str
    text: str
    shown_at: datetime
    until: datetime


@dataclass(frozen=True)
class CoverView:
    id: str
    window: int
    absent_staff_no: str
    absent_name: str
    cover_staff_no: str
    cover_name: str
    starts_at: datetime
    ends_at: datetime
    reason: str | None


class FloorActions:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock

    def _today(self, hall: HallContext) -> tuple[datetime, date]:
        """Now and its business day, with the floor rows already those of that day."""
        now = self.clock.now()
        day = hall.calendar.business_day(now)
        ensure_floor_day(self.db, hall.id, day)
        return now, day

    # ----- which services a window serves -------------------------------------------------

    def reassign(
        self, hall_id: str, window_no: int, services: Mapping[str, int], actor: Actor
    ) -> dict[str, int]:
        hall = self.halls.get(hall_id)
        wanted = _check_services(hall, services)
        now, day = self._today(hall)
        with self.db.write() as work:
            session = work.session
            window = lock_window(session, hall.id, window_no)
            was = _weights(session, hall.id, window_no)
            if was == wanted:
                return was
            window.services_decided_on = day
            session.execute(
                delete(WindowService).where(
                    WindowService.hall_id == hall.id, WindowService.window_no == window_no
                )
            )
            for code, weight in wanted.items():
                session.add(
                    WindowService(
                        hall_id=hall.id, window_no=window_no, service_code=code, weight=weight
                    )
                )
            session.flush()
            forget_window_weights(session)
            append_event(
                work,
                hall.id,
                SERVICES_CHANGED,
                now,
                actor=actor,
                window=window_no,
                payload={"services": wanted, "was": was},
            )
            return wanted

    # ----- opening and closing a window ---------------------------------------------------

    def open_window(self, hall_id: str, window_no: int, actor: Actor) -> None:
        hall = self.halls.get(hall_id)
        now, day = self._today(hall)
        with self.db.write() as work:
            window = lock_window(work.session, hall.id, window_no)
            if window.is_open:
                raise RuleViolation(f"window {window_no} is already open", code="already_open")
            window.is_open = True
            window.open_decided_on = day
            append_event(work, hall.id, WINDOW_OPENED, now, actor=actor, window=window_no)

    def close_window(self, hall_id: str, window_no: int, reason: str | None, actor: Actor) -> None:
        hall = self.halls.get(hall_id)
        now, day = self._today(hall)
        with self.db.write() as work:
            session = work.session
            window = lock_window(session, hall.id, window_no)
            if not window.is_open:
                raise RuleViolation(f"window {window_no} is already closed", code="already_closed")
            current = current_ticket(session, hall.id, window_no)
            if current is not None:
                raise WindowBusy(
                    f"window {window_no} still has {current.number} ({current.state}); "
                    "let the clerk finish, hold or transfer it before closing the window"
                )
            window.is_open = False
            window.open_decided_on = day
            append_event(
                work,
                hall.id,
                WINDOW_CLOSED,
                now,
                actor=actor,
                window=window_no,
                payload={"reason": reason} if reason else {},
            )

    # ----- issuing for a service ----------------------------------------------------------

    def stop_issuing(self, hall_id: str, service: str, reason: str | None, actor: Actor) -> None:
        self._set_issuing(hall_id, service, stopped=True, reason=reason, actor=actor)

    def resume_issuing(self, hall_id: str, service: str, actor: Actor) -> None:
        self._set_issuing(hall_id, service, stopped=False, reason=None, actor=actor)

    def _set_issuing(
        self, hall_id: str, service: str, *, stopped: bool, reason: str | None, actor: Actor
    ) -> None:
        hall = self.halls.get(hall_id)
        now, day = self._today(hall)
        with self.db.write() as work:
            # The hall before its service's row, as a worker bringing the floor to today
            # takes them (hall_lock.py).
            hold_hall(work.session, hall.id)
            row = work.session.execute(
                select(Service)
                .where(Service.hall_id == hall.id, Service.code == service)
                .with_for_update()
            ).scalar_one_or_none()
            if row is None:
                raise NotFound(f"unknown service {service!r} in hall {hall.id}")
            if row.issuing_stopped == stopped:
                state = "stopped" if stopped else "running"
                raise RuleViolation(
                    f"issuing for {service} is already {state}", code=f"already_{state}"
                )
            row.issuing_stopped = stopped
            row.issuing_decided_on = day
            payload: dict[str, str] = {"service": service}
            if reason:
                payload["reason"] = reason
            append_event(
                work,
                hall.id,
                ISSUING_STOPPED if stopped else ISSUING_RESUMED,
                now,
                actor=actor,
                payload=payload,
            )

    # ----- announcements on the hall board ------------------------------------------------

    def announce(self, hall_id: str, text: str, minutes: int, actor: Actor) -> Announcement:
        hall = self.halls.get(hall_id)
        # Masked like every note of the log, so the board shows the same text live and after
        # a reload (queue_server.domain.free_text).
        text = mask_personal_data(" ".join(text.split()))
        if not text:
            raise RuleViolation("an announcement needs a text", code="empty_announcement")
        now = self.clock.now()
        until = now + timedelta(minutes=minutes)
        with self.db.write() as work:
            row = HallAnnouncement(
                id=uuid.uuid4().hex,
                hall_id=hall.id,
                text=text,
                shown_at=now,
                until=until,
                author_id=actor.clerk or "system",
            )
            work.session.add(row)
            work.session.flush()
            append_event(
                work,
                hall.id,
                ANNOUNCED,
                now,
                actor=actor,
                payload={"id": row.id, "text": text, "until": until.isoformat()},
            )
            return Announcement(row.id, text, now, until)

    def current_announcement(self, hall_id: str) -> Announcement | None:
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.read() as session:
            row = session.scalars(
                select(HallAnnouncement)
                .where(HallAnnouncement.hall_id == hall.id)
                .order_by(HallAnnouncement.shown_at.desc())
                .limit(1)
            ).first()
            if row is None or row.until <= now:
                return None
            return Announcement(row.id, row.text, row.shown_at, row.until)

    # ----- backup cover (B岗顶岗) -----------------------------------------------------------

    def record_cover(
        self,
        hall_id: str,
        window_no: int,
        absent_staff_no: str,
        cover_staff_no: str,
        minutes: int,
        reason: str | None,
        actor: Actor,
    ) -> CoverView:
        hall = self.halls.get(hall_id)
        floor = hall.config.floor
        check_cover_minutes(minutes, CoverLimits(floor.cover_min_minutes, floor.cover_max_minutes))
        if absent_staff_no == cover_staff_no:
            raise RuleViolation(
                "the backup clerk must be someone else than the clerk who leaves",
                code="same_clerk",
            )
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            lock_window(session, hall.id, window_no)
            absent = _staff(session, hall, absent_staff_no)
            cover = _staff(session, hall, cover_staff_no)
            row = BackupCover(
                id=uuid.uuid4().hex,
                hall_id=hall.id,
                business_day=hall.calendar.business_day(now),
                window_no=window_no,
                absent_user_id=absent.id,
                cover_user_id=cover.id,
                starts_at=now,
                ends_at=now + timedelta(minutes=minutes),
                reason=reason,
                recorded_by=actor.clerk or "system",
            )
            session.add(row)
            session.flush()
            append_event(
                work,
                hall.id,
                COVER_RECORDED,
                now,
                actor=actor,
                window=window_no,
                # Ids only: the names stay in the accounts table.
                payload={
                    "cover": row.id,
                    "absent": absent.id,
                    "backup": cover.id,
                    "minutes": minutes,
                    "until": row.ends_at.isoformat(),
                },
            )
            return _cover_view(row, absent, cover)

    def covers_today(self, hall_id: str) -> list[CoverView]:
        hall = self.halls.get(hall_id)
        day = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            rows = session.scalars(
                select(BackupCover)
                .where(BackupCover.hall_id == hall.id, BackupCover.business_day == day)
                .order_by(BackupCover.starts_at)
            ).all()
            ids = {r.absent_user_id for r in rows} | {r.cover_user_id for r in rows}
            users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
            return [_cover_view(r, users[r.absent_user_id], users[r.cover_user_id]) for r in rows]


def _check_services(hall: HallContext, services: Mapping[str, int]) -> dict[str, int]:
    if not services:
        raise RuleViolation(
            "a window must serve at least one service; close it instead", code="no_services"
        )
    known = {s.code for s in hall.config.services}
    unknown = sorted(set(services) - known)
    if unknown:
        raise RuleViolation(
            f"unknown services {unknown} (this hall has: {', '.join(sorted(known))})",
            code="unknown_service",
        )
    bad = sorted(code for code, weight in services.items() if not 1 <= weight <= MAX_WEIGHT)
    if bad:
        raise RuleViolation(
            f"weights must be 1 to {MAX_WEIGHT}; wrong for {bad}", code="invalid_weight"
        )
    return {code: int(services[code]) for code in sorted(services)}


def _weights(session: Session, hall_id: str, window_no: int) -> dict[str, int]:
    rows = session.execute(
        select(WindowService.service_code, WindowService.weight).where(
            WindowService.hall_id == hall_id, WindowService.window_no == window_no
        )
    ).all()
    return {code: int(weight) for code, weight in sorted(rows)}


def _staff(session: Session, hall: HallContext, staff_no: str) -> User:
    user = session.scalars(select(User).where(User.staff_no == staff_no)).first()
    if user is None or user.hall_id != hall.id or not user.active:
        raise NotFound(f"no active staff member {staff_no!r} in hall {hall.id}")
    return user


def _cover_view(row: BackupCover, absent: User, cover: User) -> CoverView:
    return CoverView(
        id=row.id,
        window=row.window_no,
        absent_staff_no=absent.staff_no,
        absent_name=absent.name,
        cover_staff_no=cover.staff_no,
        cover_name=cover.name,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        reason=row.reason,
    )
