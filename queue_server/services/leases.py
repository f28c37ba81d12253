"""Leased number blocks for kiosks, and the reconciliation of what they issued offline.

A lease is cut from the same per-day, per-prefix counter as online issuing (queries.
bump_counter, moved by the block's size in one step), so online and offline numbers never
meet. An upload of a kiosk's journal inserts each entry once (its key is the primary key of
offline_tickets and its number is unique per day and prefix in tickets), with the kiosk's
issue time as the ticket's issue and order time: the queue follows when people really took
their numbers, whatever the order of the upload.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from queue_server.domain.clock import Clock
from queue_server.domain.errors import DailyCapReached, HallClosed, IssuingStopped
from queue_server.domain.events import EventKind
from queue_server.domain.events import JournalUploaded as JournalUploadedPayload
from queue_server.domain.leases import (
    ABANDONED_KEY,
    KioskContact,
    LeasePolicy,
    OfflineKiosk,
    abandon_reason,
    block_size,
    in_block,
    offline_kiosks,
    offline_ticket_id,
    order_time,
    plausible_issue_time,
)
from queue_server.domain.tickets import Priority, TicketState, format_number
from queue_server.services.database import Database, Work
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.event_log import Actor, append_event
from queue_server.services.floor_day import ensure_floor_day
from queue_server.services.floor_view import DeviceRow
from queue_server.services.hall_lock import hold_hall
from queue_server.services.halls import HallContext, HallRegistry
from queue_server.services.issue_inputs import joined_the_queue
from queue_server.services.queries import bump_counter, lock_ticket
from queue_server.services.window_moves import cancel_locked
from queue_server.storage.lease_tables import NumberLease, OfflineTicket
from queue_server.storage.tables import Counter, Event, IdempotencyKey, Service, Ticket

LEASE_GRANTED = EventKind.LEASE_GRANTED
LEASE_RELEASED = EventKind.LEASE_RELEASED
JOURNAL_UPLOADED = EventKind.KIOSK_JOURNAL_UPLOADED
# Offline tickets enter the log as `ticket.issued` (every reader of the log knows that kind)
# with `offline: true`, the kiosk's issue time and the upload time in the payload.
TICKET_ISSUED = EventKind.TICKET_ISSUED


@dataclass(frozen=True)
class LeaseView:
    id: str
    device: str
    service: str
    prefix: str
    business_day: date
    first: int
    last: int
    granted_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, row: NumberLease) -> LeaseView:
        return cls(
            id=row.id,
            device=row.device,
            service=row.service_code,
            prefix=row.prefix,
            business_day=row.business_day,
            first=row.first_seq,
            last=row.last_seq,
            granted_at=row.granted_at,
            expires_at=row.expires_at,
        )


@dataclass(frozen=True)
class JournalEntry:
    key: str
    lease_id: str
    seq_no: int
    priority: Priority
    issued_at: datetime  # the kiosk's clock


@dataclass(frozen=True)
class EntryResult:
    key: str
    number: str | None  # None: refused before its lease (hence its number) was known
    ticket_id: str | None  # None: refused
    replayed: bool  # already reconciled by an earlier upload
    clamped: bool = False  # the kiosk's clock was off; the time was kept within bounds
    refused: str | None = None  # why the entry was not taken: a code...
    reason: str | None = None  # ...and in words


def _refused(entry: JournalEntry, number: str | None, code: str, reason: str) -> EntryResult:
    said = f"entry {entry.key}: {reason}"
    return EntryResult(entry.key, number, None, False, refused=code, reason=said)


@dataclass(frozen=True)
class AbandonResult:
    """What became of a ticket a kiosk gave up: `cancelled` now, `already_cancelled`,
    `too_late` (called since: left as it is), or `not_issued` (the request never came)."""

    idempotency_key: str
    outcome: str
    ticket_id: str | None = None
    number: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class KioskLeaseState:
    """One kiosk's leases today, for the floor monitor."""

    device: str
    last_seen_at: datetime
    leased: int
    reconciled: int


class LeaseService:
    def __init__(
        self, db: Database, halls: HallRegistry, clock: Clock, policy: LeasePolicy | None = None
    ) -> None:
        self.db = db
        self.halls = halls
        self.clock = clock
        self.policy = policy or LeasePolicy()

    # ----- leases ------------------------------------------------------------------------

    def take(
        self, hall_id: str, device: str, service_code: str, request_key: str, actor: Actor
    ) -> LeaseView:
        """A block of today's numbers for `device`; the same block again for a retried key."""
        hall = self.halls.get(hall_id)
        config = hall.config.service(service_code)
        if config is None:
            raise NotFound(f"unknown service {service_code!r}")
        now = self.clock.now()
        day = hall.calendar.business_day(now)
        ensure_floor_day(self.db, hall.id, day)
        try:
            return self._take_once(hall, device, service_code, request_key, actor, now, day)
        except IntegrityError:
            # The same key raced on PostgreSQL: the winner's block is the answer.
            return self._take_once(hall, device, service_code, request_key, actor, now, day)

    def _take_once(
        self,
        hall: HallContext,
        device: str,
        service_code: str,
        request_key: str,
        actor: Actor,
        now: datetime,
        day: date,
    ) -> LeaseView:
        config = hall.config.service(service_code)
        assert config is not None
        with self.db.write() as work:
            session = work.session
            seen = session.execute(
                select(NumberLease).where(
                    NumberLease.hall_id == hall.id,
                    NumberLease.device == device,
                    NumberLease.request_key == request_key,
                )
            ).scalar_one_or_none()
            if seen is not None:
                if seen.service_code != service_code:
                    raise Conflict(
                        "this request id was already used for another service",
                        code="idempotency_key_reused",
                    )
                seen.last_seen_at = now
                return LeaseView.of(seen)
            status = hall.calendar.status(now)
            if not status.can_issue:
                raise HallClosed("the hall is not issuing numbers now; no lease")
            service_row = session.get(Service, (hall.id, service_code))
            if service_row is None:
                raise NotFound(f"unknown service {service_code!r}")
            if service_row.issuing_stopped:
                raise IssuingStopped(f"issuing is stopped for service {service_code} today")
            size = block_size(
                self._issued_last_hour(session, hall, service_code, now),
                self._kiosks_holding(session, hall.id, service_code, day, now),
                self.policy,
            )
            if config.daily_cap is not None:
                # Leased numbers count against the cap whether or not they are used: the cap
                # can never be passed offline, at the price of a few numbers left unissued.
                taken = _counter(session, hall.id, day, f"service:{config.code}")
                size = min(size, config.daily_cap - taken)
                if size <= 0:
                    raise DailyCapReached(
                        f"service {config.code} has reached its daily cap; no lease"
                    )
                bump_counter(session, hall.id, day, f"service:{config.code}", size)
            last = bump_counter(session, hall.id, day, f"prefix:{config.prefix}", size)
            cutoff = hall.calendar.issue_cutoff(day)
            midnight = hall.calendar.at(day + timedelta(days=1), datetime.min.time())
            row = NumberLease(
                id=uuid.uuid4().hex,
                hall_id=hall.id,
                device=device,
                service_code=service_code,
                prefix=config.prefix,
                business_day=day,
                first_seq=last - size + 1,
                last_seq=last,
                request_key=request_key,
                granted_at=now,
                expires_at=min(cutoff, midnight) if cutoff is not None else midnight,
                released_at=None,
                last_seen_at=now,
            )
            session.add(row)
            session.flush()
            append_event(
                work,
                hall.id,
                LEASE_GRANTED,
                now,
                actor=actor,
                payload={
                    "lease": row.id,
                    "service": service_code,
                    "first": format_number(config.prefix, row.first_seq),
                    "last": format_number(config.prefix, row.last_seq),
                    "size": size,
                },
            )
            return LeaseView.of(row)

    def release(self, hall_id: str, device: str, lease_id: str, actor: Actor) -> LeaseView:
        """The kiosk gives a lease back (a newer block replaced it, or the day ends). Numbers
        it did not use stay unused; a released lease still takes late uploads."""
        self.halls.get(hall_id)
        now = self.clock.now()
        with self.db.write() as work:
            row = work.session.get(NumberLease, lease_id)
            if row is None or row.hall_id != hall_id or row.device != device:
                raise NotFound(f"no lease {lease_id!r} for device {device!r}")
            row.last_seen_at = now
            if row.released_at is None:
                row.released_at = now
                append_event(
                    work,
                    hall_id,
                    LEASE_RELEASED,
                    now,
                    actor=actor,
                    payload={"lease": row.id, "service": row.service_code},
                )
            return LeaseView.of(row)

    # ----- reconciliation ----------------------------------------------------------------

    def reconcile(
        self,
        hall_id: str,
        device: str,
        entries: list[JournalEntry],
        actor: Actor,
        *,
        uploaded_by: str,
    ) -> list[EntryResult]:
        """Insert each journal entry once, earliest issue time first, in one transaction: an
        upload cut halfway leaves nothing, and a repeated one finds every entry done.

        Each entry is judged on its own: one the server cannot take (no such lease, a
        number outside its block, a key reused with another number...) is answered as
        refused with its reason and changes nothing, and the others go in. The checks
        read only what the upload cannot change, so a refused entry is refused again,
        with the same reason, whenever it is sent."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        today = hall.calendar.business_day(now)
        answers: dict[int, EntryResult] = {}
        new_count = 0
        refused: list[EntryResult] = []
        with self.db.write() as work:
            # Tickets join the hall's queue: the hall first, as every such write (hall_lock.py).
            hold_hall(work.session, hall.id)
            leases: dict[str, NumberLease] = {}
            seen_keys: set[str] = set()
            order = sorted(enumerate(entries), key=lambda p: (p[1].issued_at, p[1].seq_no))
            for index, entry in order:
                if entry.key in seen_keys:
                    answers[index] = _refused(
                        entry, None, "duplicate_key", "this entry key appears twice in this upload"
                    )
                    refused.append(answers[index])
                    continue
                seen_keys.add(entry.key)
                result = self._reconcile_entry(
                    work, hall, device, entry, leases, actor, now, today, uploaded_by
                )
                answers[index] = result
                if result.refused is not None:
                    refused.append(result)
                elif not result.replayed:
                    new_count += 1
            for lease in leases.values():
                lease.last_seen_at = now
            if new_count or refused:
                payload: JournalUploadedPayload = {
                    "device": device, "entries": len(entries), "new": new_count,
                }  # fmt: skip
                if refused:
                    payload["refused"] = [
                        {"key": r.key, "number": r.number, "code": r.refused} for r in refused
                    ]
                append_event(work, hall.id, JOURNAL_UPLOADED, now, actor=actor, payload=payload)
        return [answers[i] for i in range(len(entries))]

    def _reconcile_entry(
        self,
        work: Work,
        hall: HallContext,
        device: str,
        entry: JournalEntry,
        leases: dict[str, NumberLease],
        actor: Actor,
        now: datetime,
        today: date,
        uploaded_by: str,
    ) -> EntryResult:
        """One entry: its ticket now, the ticket an earlier upload made, or refused."""
        session = work.session
        lease = leases.get(entry.lease_id) or session.get(NumberLease, entry.lease_id)
        if lease is None or lease.hall_id != hall.id or lease.device != device:
            return _refused(
                entry, None, "unknown_lease", f"no lease {entry.lease_id!r} of device {device!r}"
            )
        leases[lease.id] = lease
        number = format_number(lease.prefix, entry.seq_no)
        done = session.get(OfflineTicket, (hall.id, entry.key))
        if done is not None:
            if done.lease_id != lease.id or done.seq_no != entry.seq_no:
                return _refused(
                    entry, number, "journal_key_reused",
                    "this entry key was reconciled before with another number",
                )  # fmt: skip
            return EntryResult(entry.key, number, done.ticket_id, True)
        if not in_block(entry.seq_no, lease.first_seq, lease.last_seq):
            return _refused(
                entry, number, "outside_lease",
                f"number {number} is outside lease "
                f"{format_number(lease.prefix, lease.first_seq)}-"
                f"{format_number(lease.prefix, lease.last_seq)}",
            )  # fmt: skip
        if entry.priority is Priority.APPOINTMENT:
            return _refused(
                entry, number, "appointment_offline", "appointments are not issued offline"
            )
        taken = session.execute(
            select(Ticket.id).where(
                Ticket.hall_id == hall.id,
                Ticket.business_day == lease.business_day,
                Ticket.prefix == lease.prefix,
                Ticket.seq_no == entry.seq_no,
                Ticket.transferred_from.is_(None),
            )
        ).scalar_one_or_none()
        if taken is not None:
            return _refused(
                entry, number, "number_taken", f"number {number} already belongs to another ticket"
            )
        issued = order_time(entry.issued_at, lease.granted_at, now, self.policy)
        clamped = not plausible_issue_time(entry.issued_at, lease.granted_at, now, self.policy)
        # A ticket of a day that is over is recorded (the visitor had it) and closed at
        # once: yesterday's numbers are never called today.
        late = lease.business_day != today
        ticket = Ticket(
            id=offline_ticket_id(hall.id, entry.key),
            hall_id=hall.id,
            service_code=lease.service_code,
            business_day=lease.business_day,
            prefix=lease.prefix,
            seq_no=entry.seq_no,
            number=number,
            priority=entry.priority.value,
            state=(TicketState.CANCELLED if late else TicketState.WAITING).value,
            recall_count=0,
            issued_at=issued,
            order_at=issued,
            finished_at=now if late else None,
        )
        session.add(ticket)
        session.flush()
        if not late:
            joined_the_queue(session, hall.id, ticket.service_code)
        session.add(
            OfflineTicket(
                hall_id=hall.id,
                entry_key=entry.key,
                lease_id=lease.id,
                ticket_id=ticket.id,
                seq_no=entry.seq_no,
                kiosk_issued_at=entry.issued_at,
                uploaded_at=now,
                uploaded_by=uploaded_by,
            )
        )
        session.flush()
        append_event(
            work,
            hall.id,
            TICKET_ISSUED,
            now,
            actor=actor,
            ticket_id=ticket.id,
            payload={
                "number": number,
                "service": lease.service_code,
                "priority": entry.priority.value,
                "offline": True,
                "device": device,
                "issued_at": issued.isoformat(),
                "kiosk_issued_at": entry.issued_at.isoformat(),
                "uploaded_at": now.isoformat(),
            },
        )
        if late:
            append_event(
                work,
                hall.id,
                EventKind.TICKET_CANCELLED,
                now,
                actor=actor,
                ticket_id=ticket.id,
                payload={"number": number, "reason": "offline_day_over"},
            )
        return EntryResult(entry.key, number, ticket.id, False, clamped)

    # ----- ghost tickets -----------------------------------------------------------------

    def abandon(
        self, hall_id: str, device: str, key: str, reason_code: str, actor: Actor
    ) -> AbandonResult:
        """A kiosk gives up the ticket it asked for under `key` and never heard back about:
        cancelled while it still waits (nobody holds it: the visitor was served offline or
        sent to staff), left alone once called. A key that never reached the server is kept
        as abandoned, so the request arriving late issues nothing. Safe to repeat."""
        hall = self.halls.get(hall_id)
        reason = abandon_reason(reason_code)
        try:
            return self._abandon_once(hall, device, key, reason, actor)
        except IntegrityError:
            # The late request and the abandon raced on PostgreSQL: look again.
            return self._abandon_once(hall, device, key, reason, actor)

    def _abandon_once(
        self, hall: HallContext, device: str, key: str, reason: str, actor: Actor
    ) -> AbandonResult:
        now = self.clock.now()
        with self.db.write() as work:
            session = work.session
            seen = session.get(IdempotencyKey, (hall.id, key))
            if seen is None:
                session.add(
                    IdempotencyKey(
                        hall_id=hall.id, key=key, fingerprint=ABANDONED_KEY, ticket_id="",
                        created_at=now,
                    )
                )  # fmt: skip
                session.flush()
                return AbandonResult(key, "not_issued")
            if seen.fingerprint == ABANDONED_KEY:
                return AbandonResult(key, "not_issued")
            row = lock_ticket(session, hall.id, seen.ticket_id)
            issued_by = session.scalar(
                select(Event.device_id).where(
                    Event.hall_id == hall.id,
                    Event.ticket_id == row.id,
                    Event.kind == TICKET_ISSUED.value,
                )
            )
            if issued_by != device:
                # Another kiosk's (or the duty lead's) ticket: not this kiosk's to give up,
                # and no hint that the key exists.
                raise NotFound(f"no ticket of device {device!r} under this Idempotency-Key")
            state = TicketState(row.state)
            if state is TicketState.CANCELLED:
                return AbandonResult(key, "already_cancelled", row.id, row.number, state.value)
            if state is not TicketState.WAITING:
                # Called already (it went out as a no-show, or someone did come): history.
                return AbandonResult(key, "too_late", row.id, row.number, state.value)
            cancel_locked(work, hall.id, row, now, actor, reason)
            return AbandonResult(key, "cancelled", row.id, row.number, row.state)

    # ----- the floor monitor -------------------------------------------------------------

    def kiosks_today(self, hall_id: str) -> list[KioskLeaseState]:
        hall = self.halls.get(hall_id)
        day = hall.calendar.business_day(self.clock.now())
        with self.db.read() as session:
            rows = session.execute(
                select(
                    NumberLease.device,
                    func.max(NumberLease.last_seen_at),
                    func.sum(NumberLease.last_seq - NumberLease.first_seq + 1),
                )
                .where(NumberLease.hall_id == hall.id, NumberLease.business_day == day)
                .group_by(NumberLease.device)
            ).all()
            reconciled = dict(
                session.execute(
                    select(NumberLease.device, func.count())
                    .join(OfflineTicket, OfflineTicket.lease_id == NumberLease.id)
                    .where(NumberLease.hall_id == hall.id, NumberLease.business_day == day)
                    .group_by(NumberLease.device)
                ).all()
            )
        return [
            KioskLeaseState(
                device=str(device),
                last_seen_at=seen,
                leased=int(leased or 0),
                reconciled=int(reconciled.get(device, 0)),
            )
            for device, seen, leased in rows
        ]

    def offline_kiosks(self, hall_id: str, devices: Sequence[DeviceRow]) -> list[OfflineKiosk]:
        """Kiosks cut off now, or back with tickets not reconciled yet (the floor monitor)."""
        hall = self.halls.get(hall_id)
        now = self.clock.now()
        leases = {k.device: k for k in self.kiosks_today(hall_id)}
        kiosks = {d.name: d for d in devices if d.kind == "kiosk"}
        contacts: list[KioskContact] = []
        for name in sorted(set(kiosks) | set(leases)):
            row, lease = kiosks.get(name), leases.get(name)
            seen = [
                t
                for t in (row.last_seen if row else None, lease.last_seen_at if lease else None)
                if t is not None
            ]
            contacts.append(
                KioskContact(
                    device=name,
                    last_contact=max(seen) if seen else None,
                    reported_pending=row.offline_pending if row else None,
                    reported_refused=row.offline_refused if row else 0,
                    reported_since=row.offline_since if row else None,
                    leased_unreconciled=(lease.leased - lease.reconciled) if lease else 0,
                )
            )
        silence = timedelta(seconds=hall.config.floor.device_offline_seconds)
        return offline_kiosks(contacts, now, silence)

    # ----- helpers -----------------------------------------------------------------------

    @staticmethod
    def _issued_last_hour(session: Session, hall: HallContext, service: str, now: datetime) -> int:
        since = now - timedelta(hours=1)
        return int(
            session.scalar(
                select(func.count()).where(
                    Ticket.hall_id == hall.id,
                    # Lets the day's index find the rows instead of every ticket ever issued.
                    # A ticket's instant falls in its day, so this leaves out only an offline
                    # ticket of a past day uploaded late, its time clamped to the upload:
                    # closed at once, it is no demand of this hour.
                    Ticket.business_day >= hall.calendar.business_day(since),
                    Ticket.service_code == service,
                    Ticket.issued_at >= since,
                    Ticket.transferred_from.is_(None),
                )
            )
            or 0
        )

    @staticmethod
    def _kiosks_holding(
        session: Session, hall_id: str, service: str, day: date, now: datetime
    ) -> int:
        return (
            int(
                session.scalar(
                    select(func.count(distinct(NumberLease.device))).where(
                        NumberLease.hall_id == hall_id,
                        NumberLease.service_code == service,
                        NumberLease.business_day == day,
                        NumberLease.released_at.is_(None),
                    )
                )
                or 0
            )
            + 1
        )


def _counter(session: Session, hall_id: str, day: date, key: str) -> int:
    value = session.scalar(
        select(Counter.value).where(
            Counter.hall_id == hall_id, Counter.business_day == day, Counter.key == key
        )
    )
    return int(value or 0)
