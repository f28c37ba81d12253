"""好差评 to the provincial platform: collecting records into the outbox and delivering them.

`collect` reads the durable rating and follow-up rows and adds every record not yet in the
outbox (idempotent by record id, so earlier ratings are backfilled the first time a hall turns
reporting on). `HaochaReporter.deliver_due` sends what is due, one signed POST per record:

    <timestamp_header>: 1764035400            (Unix seconds when it was sent)
    <signature_header>: <hex>                 (HMAC-SHA256 or HMAC-SM3 over "<timestamp>.<body>")
    <app_id_header>: <app_id>                 (when the hall has one)

2xx, or 409 (the platform has that id already: our earlier answer was lost), is delivered.
Anything else is retried with a growing pause, 30 s doubling to 1 h, and never given up: the
province must get every record, however long it is down. A platform that does not answer at
all ends the round, so its outage costs one attempt per round and not one per record.

After a round the reconciliation file of every day that had a record delivered is rewritten.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain import haocha
from queue_server.domain.clock import Clock
from queue_server.domain.haocha import ProvinceMapping, Record, RecordType
from queue_server.domain.rating import Level
from queue_server.services.database import Database
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.storage.haocha_tables import HaochaOutbox
from queue_server.storage.tables import FollowUp, Rating, Ticket, User

log = logging.getLogger("hallq.haocha")

FIRST_PAUSE_SECONDS = 30
LONGEST_PAUSE_SECONDS = 3600
BATCH = 100
LEASE_SECONDS = 900  # longer than a batch can take (5 s timeout each)
STEP_COLUMNS: tuple[tuple[RecordType, str, str, str], ...] = (
    ("contact", "contacted_at", "contact_note", "contacted_by"),
    ("rectification", "fixed_at", "fix_note", "fixed_by"),
    ("closing", "closed_at", "closure_note", "closed_by"),
)


def pause_after(attempts: int) -> int:
    """30 s after the first failure, doubling, at most an hour."""
    return min(FIRST_PAUSE_SECONDS * 2 ** max(attempts - 1, 0), LONGEST_PAUSE_SECONDS)


def mapping_of(hall: HallContext) -> ProvinceMapping:
    return hall.config.haocha.mapping(hall.config.hall.timezone)


def read_secret(path: str | None) -> bytes:
    if path is None:
        raise ValueError("[haocha] endpoint is set but secret_file is not")
    secret = Path(path).read_text("utf-8").strip().encode()
    if len(secret) < 16:
        raise ValueError(f"the 好差评 secret in {path} is too short (at least 16 characters)")
    return secret


# ----- records from the durable rows ---------------------------------------------------------


def _rating_record(session: Session, hall: HallContext, rating: Rating) -> Record:
    ticket = session.get(Ticket, rating.ticket_id)
    assert ticket is not None
    staff = (
        session.scalar(select(User.staff_no).where(User.id == rating.clerk_id))
        if rating.clerk_id
        else None
    )
    phone = session.scalar(select(FollowUp.visitor_phone).where(FollowUp.rating_id == rating.id))
    item = hall.config.haocha.items.get(ticket.service_code)
    return haocha.rating_record(
        hall=hall.id,
        rating=rating.id,
        level=Level(rating.level),
        rated_at=rating.rated_at,
        business_day=rating.business_day,
        ticket_number=ticket.number,
        window=rating.window_no,
        staff=staff,
        reasons=rating.reasons,
        item_code=item.code if item else None,
        department=item.department if item else None,
        phone=phone,
    )


def _step_records(rating: Record, row: FollowUp) -> list[Record]:
    records = []
    for step, at_column, note_column, by_column in STEP_COLUMNS:
        at: datetime | None = getattr(row, at_column)
        if at is not None:
            note: str = getattr(row, note_column) or ""
            records.append(haocha.step_record(rating, step, at, note, getattr(row, by_column)))
    return records


def records_between(
    session: Session, hall: HallContext, first: date | None = None, last: date | None = None
) -> list[Record]:
    """Every record of ratings given (and steps taken) from `first` to `last` inclusive."""
    mapping = mapping_of(hall)
    query = select(Rating).where(Rating.hall_id == hall.id)
    if first is not None:
        query = query.where(Rating.business_day >= first - timedelta(days=62))
    records: list[Record] = []
    for rating in session.scalars(query.order_by(Rating.rated_at, Rating.id)):
        base = _rating_record(session, hall, rating)
        follow_up = session.scalar(select(FollowUp).where(FollowUp.rating_id == rating.id))
        candidates = [base, *(_step_records(base, follow_up) if follow_up else [])]
        for record in candidates:
            day = mapping.local_day(record.at)
            if (first is None or day >= first) and (last is None or day <= last):
                records.append(record)
    records.sort(key=lambda r: (r.at, r.id))
    return records


def _uncollected(session: Session, hall: HallContext) -> list[Record]:
    known_ratings = select(HaochaOutbox.source_id).where(
        HaochaOutbox.hall_id == hall.id, HaochaOutbox.kind == "rating"
    )
    records = [
        _rating_record(session, hall, rating)
        for rating in session.scalars(
            select(Rating)
            .where(Rating.hall_id == hall.id, Rating.id.not_in(known_ratings))
            .order_by(Rating.rated_at, Rating.id)
        )
    ]
    # Follow-ups are few (bad ratings only); a step recorded again gets a new id (its time).
    known_steps = set(
        session.scalars(
            select(HaochaOutbox.id).where(
                HaochaOutbox.hall_id == hall.id, HaochaOutbox.kind != "rating"
            )
        )
    )
    for row in session.scalars(
        select(FollowUp).where(FollowUp.hall_id == hall.id).order_by(FollowUp.opened_at)
    ):
        if row.contacted_at is None and row.fixed_at is None and row.closed_at is None:
            continue
        rating = session.get(Rating, row.rating_id)
        assert rating is not None
        base = _rating_record(session, hall, rating)
        records.extend(r for r in _step_records(base, row) if r.id not in known_steps)
    return records


def collect(db: Database, hall: HallContext, now: datetime) -> int:
    """Adds the records not in the outbox yet; returns how many. Safe to run concurrently:
    a record another worker added first is skipped by its id."""
    mapping = mapping_of(hall)
    added = 0
    try:
        with db.write() as work:
            session = work.session
            for record in _uncollected(session, hall):
                if session.get(HaochaOutbox, record.id) is not None:
                    continue
                rendered = haocha.render(record, mapping)
                found = haocha.problems(rendered, record.type, mapping)
                session.add(
                    HaochaOutbox(
                        id=record.id,
                        hall_id=hall.id,
                        kind=record.type,
                        source_id=record.evaluation_id.removeprefix(f"{hall.id}-"),
                        level=record.level.value,
                        day=mapping.local_day(record.at),
                        at=record.at,
                        body=json.dumps(rendered, ensure_ascii=False),
                        problem="; ".join(found)[:500] or None,
                        created_at=now,
                        attempts=0,
                        next_attempt_at=now,
                    )
                )
                added += 1
    except IntegrityError:
        log.info("hall %s: another worker collected the same 好差评 records; next round", hall.id)
        return 0
    if added:
        log.info("hall %s: %s 好差评 record(s) queued for the province", hall.id, added)
    return added


def uncollected_count(db: Database, hall: HallContext) -> int:
    with db.read() as session:
        return len(_uncollected(session, hall))


# ----- delivery ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    id: str
    hall: HallContext
    body: bytes


class Unreachable(Exception):
    """The platform did not answer at all: the rest of the round waits for the next one."""


class HaochaReporter:
    def __init__(self, db: Database, halls: HallRegistry, clock: Clock) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self._http = httpx.Client(timeout=httpx.Timeout(5.0, connect=3.0))

    def close(self) -> None:
        self._http.close()

    def enabled_halls(self) -> list[HallContext]:
        return [h for h in self.halls.all() if h.config.haocha.enabled]

    def run_once(self) -> int:
        """Collect, then deliver: one round of the worker."""
        now = self.clock.now()
        for hall in self.enabled_halls():
            collect(self.db, hall, now)
        return self.deliver_due()

    def _claim(self, hall: HallContext) -> list[Claimed]:
        """Claims the due records for LEASE_SECONDS: another worker process polling the same
        outbox skips them (SKIP LOCKED) and then finds them not due, so each is sent once."""
        now = self.clock.now()
        with self.db.write() as work:
            rows = list(
                work.session.scalars(
                    select(HaochaOutbox)
                    .where(
                        HaochaOutbox.hall_id == hall.id,
                        HaochaOutbox.delivered_at.is_(None),
                        HaochaOutbox.problem.is_(None),
                        HaochaOutbox.next_attempt_at <= now,
                    )
                    .order_by(HaochaOutbox.at, HaochaOutbox.id)
                    .limit(BATCH)
                    .with_for_update(skip_locked=True)
                )
            )
            for row in rows:
                row.next_attempt_at = now + timedelta(seconds=LEASE_SECONDS)
            return [Claimed(row.id, hall, row.body.encode("utf-8")) for row in rows]

    def deliver_due(self) -> int:
        """Send what is due once; returns how many were delivered."""
        delivered = 0
        for hall in self.enabled_halls():
            claimed = self._claim(hall)
            days: set[date] = set()
            for index, record in enumerate(claimed):
                try:
                    error = self._send(record)
                except Unreachable as exc:
                    self._record(record.id, str(exc))
                    self._release([c.id for c in claimed[index + 1 :]])
                    log.warning(
                        "hall %s: the 好差评 platform is unreachable (%s); %s record(s) wait",
                        hall.id,
                        exc,
                        len(claimed) - index,
                    )
                    break
                day = self._record(record.id, error)
                if error is None and day is not None:
                    delivered += 1
                    days.add(day)
            for day in sorted(days):
                self.write_reconciliation(hall, day)
        return delivered

    def _send(self, record: Claimed) -> str | None:
        settings = record.hall.config.haocha
        if settings.endpoint is None:
            return "no endpoint configured"
        try:
            secret = read_secret(settings.secret_file)
        except (OSError, ValueError) as exc:
            return f"secret: {exc}"
        timestamp = int(self.clock.now().timestamp())
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            settings.timestamp_header: str(timestamp),
            settings.signature_header: haocha.sign(
                settings.signature, secret, timestamp, record.body
            ),
        }
        if settings.app_id:
            headers[settings.app_id_header] = settings.app_id
        try:
            response = self._http.post(settings.endpoint, content=record.body, headers=headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise Unreachable(f"no answer: {type(exc).__name__}") from None
        except httpx.HTTPError as exc:
            return f"no answer: {type(exc).__name__}"
        if 200 <= response.status_code < 300 or response.status_code == 409:
            return None
        return f"HTTP {response.status_code}: {response.text[:200]}"

    def _record(self, record_id: str, error: str | None) -> date | None:
        now = self.clock.now()
        with self.db.write() as work:
            row = work.session.get(HaochaOutbox, record_id)
            if row is None:
                return None
            row.attempts += 1
            if error is None:
                row.delivered_at = now
                row.last_error = None
                return row.day
            row.last_error = error[:300]
            pause = pause_after(row.attempts)
            row.next_attempt_at = now + timedelta(seconds=pause)
            log.warning("好差评 record %s not delivered (%s); retry in %s s", row.id, error, pause)
            return None

    def _release(self, ids: Sequence[str]) -> None:
        """Back to due, without an attempt: they were never sent."""
        if not ids:
            return
        now = self.clock.now()
        with self.db.write() as work:
            for row in work.session.scalars(
                select(HaochaOutbox).where(HaochaOutbox.id.in_(list(ids)))
            ):
                if row.delivered_at is None:
                    row.next_attempt_at = now
        return

    def write_reconciliation(self, hall: HallContext, day: date) -> Path | None:
        directory = hall.config.haocha.reconciliation_dir
        if directory is None:
            return None
        return write_reconciliation_file(self.db, hall, day, Path(directory))


def reconciliation_of(db: Database, hall: HallContext, day: date) -> dict[str, object]:
    with db.read() as session:
        rows = session.execute(
            select(HaochaOutbox.id, HaochaOutbox.kind, HaochaOutbox.level).where(
                HaochaOutbox.hall_id == hall.id,
                HaochaOutbox.day == day,
                HaochaOutbox.delivered_at.is_not(None),
            )
        ).all()
    kinds: dict[str, RecordType] = {t: t for t in haocha.RECORD_TYPES}
    delivered = [haocha.Delivered(i, kinds[kind], Level(level), day) for i, kind, level in rows]
    return haocha.reconciliation(hall.id, day, delivered, mapping_of(hall))


def write_reconciliation_file(db: Database, hall: HallContext, day: date, directory: Path) -> Path:
    """Rewritten whole (via a temporary file) so the platform never reads half a file."""
    content = reconciliation_of(db, hall, day)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{hall.id}-{day.isoformat()}.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(content, ensure_ascii=False, indent=1) + "\n", "utf-8")
    temporary.replace(path)
    return path


# ----- export and status ---------------------------------------------------------------------


def month_records(db: Database, hall: HallContext, first: date, last: date) -> list[dict[str, str]]:
    """The month's records as the province receives them (for provinces that take files)."""
    mapping = mapping_of(hall)
    with db.read() as session:
        records = records_between(session, hall, first, last)
    return [haocha.render(r, mapping) for r in records]


@dataclass(frozen=True)
class ReportingStatus:
    enabled: bool
    records_today: int  # records of today's ratings and steps known to the outbox
    reported_today: int  # delivered today, whatever their day
    pending: int  # not delivered yet, including those not collected yet
    oldest_pending: datetime | None
    last_error: str | None
    problems: int  # records that cannot be sent as they are (see last_error)


def reporting_status(db: Database, hall: HallContext, now: datetime) -> ReportingStatus:
    today = hall.calendar.business_day(now)
    start = hall.calendar.local(now).replace(hour=0, minute=0, second=0, microsecond=0)
    with db.read() as session:
        base = select(func.count()).select_from(HaochaOutbox)
        mine = HaochaOutbox.hall_id == hall.id
        waiting = (mine, HaochaOutbox.delivered_at.is_(None))
        records_today = session.scalar(base.where(mine, HaochaOutbox.day == today)) or 0
        reported = session.scalar(base.where(mine, HaochaOutbox.delivered_at >= start)) or 0
        pending = session.scalar(base.where(*waiting)) or 0
        oldest = session.scalar(select(func.min(HaochaOutbox.at)).where(*waiting))
        problems = session.scalar(base.where(*waiting, HaochaOutbox.problem.is_not(None))) or 0
        last = session.execute(
            select(HaochaOutbox.last_error, HaochaOutbox.problem)
            .where(
                *waiting,
                (HaochaOutbox.last_error.is_not(None)) | (HaochaOutbox.problem.is_not(None)),
            )
            .order_by(HaochaOutbox.at.desc())
            .limit(1)
        ).first()
        uncollected = _uncollected(session, hall) if hall.config.haocha.enabled else []
    if uncollected:
        first_uncollected = min(r.at for r in uncollected)
        oldest = first_uncollected if oldest is None else min(oldest, first_uncollected)
    return ReportingStatus(
        enabled=hall.config.haocha.enabled,
        records_today=records_today
        + sum(1 for r in uncollected if hall.calendar.business_day(r.at) == today),
        reported_today=reported,
        pending=pending + len(uncollected),
        oldest_pending=oldest,
        last_error=(last[1] or last[0]) if last else None,
        problems=problems,
    )


def month_reporting(db: Database, hall: HallContext, first: date, last: date) -> tuple[int, int]:
    """(reported, pending) of the month's records, counted by each record's own day; records
    never collected (the worker behind, or reporting turned on later) count as pending."""
    zone = hall.calendar.zone
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    with db.read() as session:
        total = (
            session.scalar(
                select(func.count()).where(
                    Rating.hall_id == hall.id, Rating.rated_at >= start, Rating.rated_at < end
                )
            )
            or 0
        )
        for column in (FollowUp.contacted_at, FollowUp.fixed_at, FollowUp.closed_at):
            total += (
                session.scalar(
                    select(func.count()).where(
                        FollowUp.hall_id == hall.id, column >= start, column < end
                    )
                )
                or 0
            )
        reported = (
            session.scalar(
                select(func.count()).where(
                    HaochaOutbox.hall_id == hall.id,
                    HaochaOutbox.day >= first,
                    HaochaOutbox.day <= last,
                    HaochaOutbox.delivered_at.is_not(None),
                )
            )
            or 0
        )
    return reported, max(total - reported, 0)


def halls_enabled(halls: Iterable[HallContext]) -> bool:
    return any(h.config.haocha.enabled for h in halls)
