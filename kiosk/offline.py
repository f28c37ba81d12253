"""Issuing numbers while the server cannot be reached, from blocks leased while it could.

The kiosk keeps, per service, a lease on a block of today's numbers (the server cut it from
the same counter as online issuing, so nobody else ever issues them). When the server does
not answer within the kiosk's usual patience, the next number of the block is written to a
local journal (SQLite, synchronous=FULL: on disk before the receipt prints) and the receipt
says it was issued offline. The lease's next number is moved in the same transaction as the
journal row, so a kiosk restarted after a power cut picks up exactly where it stopped and
never hands out a number twice. When the server is back, the journal is uploaded; each entry
carries its own key, so an upload repeated or cut halfway inserts every ticket once. An entry
the server refuses (with its reason) stays in the journal marked refused, for the duty lead;
the others go in.

Ghost tickets: the Idempotency-Key of every online request is written down before it is
sent and crossed out when its answer comes. A request the kiosk gave up on (it issued from
the lease instead, or sent the visitor to staff, or it was restarted meanwhile) may have been
done by the server with only the answer lost: that ticket has nobody for it. Once the server
answers again the kiosk gives each such key up (`abandon_unanswered`): the ticket is
cancelled before anyone calls it, or, if the request never arrived, the key is burnt so a
late arrival issues nothing. A visitor who cancels while the kiosk is asking leaves such a
request too: its key is given up the same way, at once in the background.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

from hallq_client import ApiError, HallqClient, ServerUnreachable
from kiosk.model import IssuedTicket
from kiosk.taking import Refused, TakeIntent, take_number

log = logging.getLogger("hallq.kiosk")

UPLOAD_CHUNK = 100  # entries per request (the server takes at most 200)
RENEW_WHEN_LEFT = 1 / 3  # ask for the next block once two thirds of this one are used

SCHEMA = """
CREATE TABLE IF NOT EXISTS leases (
    id TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    prefix TEXT NOT NULL,
    business_day TEXT NOT NULL,
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    next_seq INTEGER NOT NULL,
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    key TEXT PRIMARY KEY,
    lease_id TEXT NOT NULL REFERENCES leases(id),
    service TEXT NOT NULL,
    seq_no INTEGER NOT NULL,
    number TEXT NOT NULL,
    priority TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    uploaded_at TEXT,
    refused TEXT,
    refused_reason TEXT,
    UNIQUE (lease_id, seq_no)
);
CREATE TABLE IF NOT EXISTS unanswered (
    key TEXT PRIMARY KEY,
    service TEXT NOT NULL,
    priority TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    outcome TEXT,
    number TEXT,
    settled_at TEXT
);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS lease_requests (
    service TEXT PRIMARY KEY,
    request_id TEXT NOT NULL
);
"""


def offline_ticket_id(hall_id: str, entry_key: str) -> str:
    """The id the server gives the ticket when it is reconciled (queue_server.domain.leases
    computes the same), so the receipt's QR link works once the journal is uploaded."""
    return hashlib.sha256(f"hallq-offline|{hall_id}|{entry_key}".encode()).hexdigest()[:32]


def format_number(prefix: str, value: int, width: int = 3) -> str:
    return f"{prefix}{value:0{width}d}"


class LeaseExhausted(Exception):
    """Offline, and no number left for this service: the visitor is sent to staff."""


@dataclass(frozen=True)
class OfflineTicket:
    key: str
    ticket_id: str
    number: str
    service: str
    priority: str
    issued_at: datetime

    def as_issued(self) -> IssuedTicket:
        """What the ticket screen and the receipt show: no place in line, no wait."""
        return IssuedTicket(
            id=self.ticket_id,
            number=self.number,
            service=self.service,
            priority=self.priority,
            issued_at=self.issued_at,
            ahead=0,
            wait_low=None,
            wait_high=None,
            offline=True,
        )


@dataclass(frozen=True)
class HeldLease:
    id: str
    service: str
    prefix: str
    first: int
    last: int
    next_seq: int
    expires_at: datetime

    @property
    def left(self) -> int:
        return max(0, self.last - self.next_seq + 1)

    @property
    def size(self) -> int:
        return self.last - self.first + 1


class OfflineBook:
    """The kiosk's leases and journal in one SQLite file that survives a power cut."""

    def __init__(self, path: Path, hall: str, device: str | None = None) -> None:
        self.path = path
        self.hall = hall
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # Every commit is on disk before it returns: the receipt prints after the commit.
        # A rollback journal, not WAL: the one file holds everything, so a copy of it on a USB
        # stick is the whole journal.
        self._db.execute("PRAGMA journal_mode=DELETE")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(journal)")}
        for column in ("refused", "refused_reason"):
            if column not in columns:  # a journal written before refusals were kept
                self._db.execute(f"ALTER TABLE journal ADD COLUMN {column} TEXT")
        # Written into the file so a copy on a USB stick says whose journal it is.
        for name, value in (("hall", hall), ("device", device)):
            if value is not None:
                self._db.execute(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, value)
                )

    def close(self) -> None:
        self._db.close()

    def set_device(self, device: str) -> None:
        """The kiosk's name as the server knows it (from its token), for a copy on a stick."""
        self._db.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('device', ?)", (device,)
        )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ----- leases ------------------------------------------------------------------------

    def request_id(self, service: str) -> str:
        """The id of this service's next lease request, kept until the lease arrives: a
        request whose answer was lost is asked again with the same id (one block, not two)."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT request_id FROM lease_requests WHERE service = ?", (service,)
            ).fetchone()
            if row is not None:
                return str(row[0])
            request_id = f"lease-{uuid.uuid4().hex}"
            db.execute(
                "INSERT INTO lease_requests (service, request_id) VALUES (?, ?)",
                (service, request_id),
            )
            return request_id

    def add_lease(self, lease: dict[str, Any]) -> HeldLease:
        """Keep a lease the server granted (the same lease twice is kept once)."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO leases (id, service, prefix, business_day, first, last, "
                "next_seq, granted_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    str(lease["id"]), str(lease["service"]), str(lease["prefix"]),
                    str(lease["business_day"]), int(lease["first"]), int(lease["last"]),
                    int(lease["first"]), _iso(lease["granted_at"]), _iso(lease["expires_at"]),
                ),
            )  # fmt: skip
            db.execute("DELETE FROM lease_requests WHERE service = ?", (str(lease["service"]),))
        held = self.lease(str(lease["id"]))
        assert held is not None
        return held

    def lease(self, lease_id: str) -> HeldLease | None:
        row = self._db.execute(
            "SELECT id, service, prefix, first, last, next_seq, expires_at FROM leases "
            "WHERE id = ?",
            (lease_id,),
        ).fetchone()
        return _held(row) if row else None

    def usable(self, service: str, now: datetime) -> list[HeldLease]:
        """This service's leases with numbers left that are still valid, oldest block first."""
        rows = self._db.execute(
            "SELECT id, service, prefix, first, last, next_seq, expires_at FROM leases "
            "WHERE service = ? AND next_seq <= last ORDER BY first",
            (service,),
        ).fetchall()
        return [lease for lease in map(_held, rows) if lease.expires_at > now]

    def left(self, service: str, now: datetime) -> int:
        return sum(lease.left for lease in self.usable(service, now))

    def needs_lease(self, service: str, now: datetime) -> bool:
        leases = self.usable(service, now)
        if not leases:
            return True
        newest = leases[-1]
        return sum(x.left for x in leases) <= max(1, math.floor(newest.size * RENEW_WHEN_LEFT))

    # ----- issuing -----------------------------------------------------------------------

    def issue(
        self, service: str, priority: str, now: datetime, *, instead_of: str | None = None
    ) -> OfflineTicket:
        """The next number of this service's lease, on disk before it is returned.
        `instead_of`: the key of the online request given up for it, marked in the same
        transaction (its ticket, if the server made one, is a ghost to give up)."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT id, service, prefix, first, last, next_seq, expires_at FROM leases "
                "WHERE service = ? AND next_seq <= last ORDER BY first",
                (service,),
            ).fetchall()
            leases = [lease for lease in map(_held, rows) if lease.expires_at > now]
            if not leases:
                raise LeaseExhausted(f"no leased number left for service {service}")
            lease = leases[0]
            seq_no = lease.next_seq
            key = f"off-{lease.id}-{seq_no}"
            ticket = OfflineTicket(
                key=key,
                ticket_id=offline_ticket_id(self.hall, key),
                number=format_number(lease.prefix, seq_no),
                service=service,
                priority=priority,
                issued_at=now,
            )
            db.execute(
                "UPDATE leases SET next_seq = next_seq + 1 WHERE id = ? AND next_seq = ?",
                (lease.id, seq_no),
            )
            db.execute(
                "INSERT INTO journal (key, lease_id, service, seq_no, number, priority, "
                "issued_at, ticket_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, lease.id, service, seq_no, ticket.number, priority,
                 _iso(now), ticket.ticket_id),
            )  # fmt: skip
            if instead_of is not None:
                _give_up(db, instead_of, "served_offline")
            return ticket

    # ----- online requests whose answer never came ------------------------------------

    def asking(self, key: str, service: str, priority: str, now: datetime) -> None:
        """Written down before the request leaves: if the kiosk dies waiting, the restarted
        kiosk knows a ticket may exist under this key."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO unanswered (key, service, priority, asked_at, state) "
                "VALUES (?, ?, ?, ?, 'asking') ON CONFLICT (key) DO NOTHING",
                (key, service, priority, _iso(now)),
            )

    def answered(self, key: str) -> None:
        """The server answered (a ticket, or no): nothing is left hanging under this key."""
        with self._transaction() as db:
            db.execute("DELETE FROM unanswered WHERE key = ? AND settled_at IS NULL", (key,))

    def gave_up(self, key: str) -> bool:
        """Whether the request under this key was given up (its ticket, if any, is or will be
        cancelled): a visitor who taps again is asking for a new number."""
        row = self._db.execute(
            "SELECT 1 FROM unanswered WHERE key = ? AND state = 'given_up'", (key,)
        ).fetchone()
        return row is not None

    def give_up(self, key: str, reason: str) -> None:
        with self._transaction() as db:
            _give_up(db, key, reason)

    def restarted(self) -> int:
        """At start-up: requests that were still waiting when the kiosk stopped are given up
        (the visitor is long gone); the number of them."""
        with self._transaction() as db:
            cursor = db.execute(
                "UPDATE unanswered SET state = 'given_up', reason = 'kiosk_restarted' "
                "WHERE state = 'asking' AND settled_at IS NULL"
            )
            return int(cursor.rowcount)

    def to_abandon(self) -> list[tuple[str, str]]:
        """(key, reason) of every request given up and not yet settled with the server."""
        rows = self._db.execute(
            "SELECT key, reason FROM unanswered WHERE state = 'given_up' "
            "AND settled_at IS NULL ORDER BY asked_at"
        ).fetchall()
        return [(str(k), str(r)) for k, r in rows]

    def abandoned(self, key: str, outcome: str, number: str | None, at: datetime) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE unanswered SET outcome = ?, number = ?, settled_at = ? WHERE key = ?",
                (outcome, number, _iso(at), key),
            )

    def unanswered(self) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT key, service, priority, asked_at, state, reason, outcome, number, "
            "settled_at FROM unanswered ORDER BY asked_at"
        ).fetchall()
        names = ("key", "service", "priority", "asked_at", "state", "reason", "outcome",
                 "number", "settled_at")  # fmt: skip
        return [dict(zip(names, row, strict=True)) for row in rows]

    # ----- the journal -------------------------------------------------------------------

    def pending(self) -> list[dict[str, Any]]:
        """Entries not yet reconciled, as the upload sends them, earliest first."""
        rows = self._db.execute(
            "SELECT key, lease_id, seq_no, priority, issued_at FROM journal "
            "WHERE uploaded_at IS NULL AND refused IS NULL ORDER BY issued_at, seq_no"
        ).fetchall()
        return [
            {"key": k, "lease": lease, "seq_no": seq, "priority": p, "issued_at": at}
            for k, lease, seq, p, at in rows
        ]

    def entries(self) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT key, lease_id, seq_no, number, priority, issued_at, uploaded_at, refused, "
            "refused_reason FROM journal ORDER BY issued_at, seq_no"
        ).fetchall()
        names = ("key", "lease", "seq_no", "number", "priority", "issued_at", "uploaded_at",
                 "refused", "refused_reason")  # fmt: skip
        return [dict(zip(names, row, strict=True)) for row in rows]

    def mark_uploaded(self, keys: Sequence[str], at: datetime) -> None:
        with self._transaction() as db:
            db.executemany(
                "UPDATE journal SET uploaded_at = ? WHERE key = ? AND uploaded_at IS NULL",
                [(_iso(at), key) for key in keys],
            )

    def mark_refused(self, key: str, code: str, reason: str) -> None:
        """The server will not take this entry (and says why): kept, never sent again by the
        kiosk, shown to the duty lead; the visitor holds a receipt for it."""
        with self._transaction() as db:
            db.execute(
                "UPDATE journal SET refused = ?, refused_reason = ? WHERE key = ? "
                "AND uploaded_at IS NULL",
                (code, reason, key),
            )

    def unreconciled(self) -> int:
        """Entries still to upload (refused ones are not: they wait for the duty lead)."""
        row = self._db.execute(
            "SELECT count(*) FROM journal WHERE uploaded_at IS NULL AND refused IS NULL"
        ).fetchone()
        return int(row[0])

    def refused(self) -> int:
        row = self._db.execute("SELECT count(*) FROM journal WHERE refused IS NOT NULL").fetchone()
        return int(row[0])

    def refused_on(self, day: date, zone: tzinfo | None = None) -> list[datetime]:
        """When each refused entry of this business day was issued. An entry's day is its
        lease's business day (for an entry whose lease this kiosk never held, the date of its
        issue time in `zone`, the kiosk's own time zone if None)."""
        rows = self._db.execute(
            "SELECT leases.business_day, journal.issued_at FROM journal "
            "LEFT JOIN leases ON leases.id = journal.lease_id WHERE journal.refused IS NOT NULL"
        ).fetchall()
        found: list[datetime] = []
        for business_day, issued_at in rows:
            at = datetime.fromisoformat(str(issued_at))
            on = str(business_day) if business_day else at.astimezone(zone).date().isoformat()
            if on == day.isoformat():
                found.append(at)
        return found

    def oldest_unreconciled(self) -> datetime | None:
        """The issue time of the earliest entry still to upload (refused ones are not)."""
        row = self._db.execute(
            "SELECT min(issued_at) FROM journal WHERE uploaded_at IS NULL AND refused IS NULL"
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None


@dataclass(frozen=True)
class JournalFile:
    hall: str | None
    device: str | None
    entries: list[dict[str, Any]]  # every entry, uploaded or not: the server skips done ones
    # Online requests given up and not yet settled with the server: a ticket may wait under
    # each key that only this kiosk can give up (docs/kiosk.md, "Ghost tickets").
    unanswered: list[dict[str, Any]] = field(default_factory=list)


def read_journal(path: Path) -> JournalFile:
    """A kiosk's journal file (copied to a USB stick), for the duty lead's `hallq kiosk
    reconcile`. Opened read-only: the copy stays as the kiosk wrote it."""
    if not path.is_file():
        raise FileNotFoundError(f"no journal file at {path}")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = dict(db.execute("SELECT name, value FROM meta").fetchall())
        rows = db.execute(
            "SELECT key, lease_id, seq_no, priority, issued_at FROM journal "
            "ORDER BY issued_at, seq_no"
        ).fetchall()
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        hanging = (
            db.execute(
                "SELECT key, service, asked_at, reason FROM unanswered "
                "WHERE settled_at IS NULL ORDER BY asked_at"
            ).fetchall()
            if "unanswered" in tables
            else []
        )
    finally:
        db.close()
    entries = [
        {"key": k, "lease": lease, "seq_no": seq, "priority": p, "issued_at": at}
        for k, lease, seq, p, at in rows
    ]
    unanswered = [
        {"key": k, "service": svc, "asked_at": at, "reason": reason}
        for k, svc, at, reason in hanging
    ]
    return JournalFile(meta.get("hall"), meta.get("device"), entries, unanswered)


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return datetime.fromisoformat(str(value)).astimezone(UTC).isoformat()


def _give_up(db: sqlite3.Connection, key: str, reason: str) -> None:
    db.execute(
        "UPDATE unanswered SET state = 'given_up', reason = ? WHERE key = ? AND settled_at IS NULL",
        (reason, key),
    )


def _held(row: Sequence[Any]) -> HeldLease:
    lease_id, service, prefix, first, last, next_seq, expires = row
    return HeldLease(
        id=str(lease_id),
        service=str(service),
        prefix=str(prefix),
        first=int(first),
        last=int(last),
        next_seq=int(next_seq),
        expires_at=datetime.fromisoformat(str(expires)),
    )


class OfflineIssuer:
    """Online first; from the lease when the server does not answer within `patience`.

    `keep_up` (run in the background) uploads the journal and renews leases whenever the
    server answers; `take` is what the taking screen calls.
    """

    def __init__(
        self,
        client: HallqClient,
        book: OfflineBook,
        device: str,
        *,
        patience: float,
        retry_every: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.book = book
        self.device = device
        self.patience = patience
        self.retry_every = retry_every
        self.clock = clock
        self.offline_since: datetime | None = None
        # The hall's time zone, for today's business day (set once the kiosk knows the hall;
        # until then the kiosk's own).
        self.zone: tzinfo | None = None
        self.chunk = UPLOAD_CHUNK
        self._abandoning = asyncio.Lock()  # one pass at a time: each key is settled once
        self._background: set[asyncio.Task[None]] = set()
        # Nothing of this book is in flight now: what was waiting died with the last run.
        book.restarted()

    async def take(
        self, intent: TakeIntent, on_retry: Callable[[int], None] | None = None
    ) -> IssuedTicket | OfflineTicket:
        """The server's ticket; an offline one when it cannot be reached in time; Refused
        when the server says no; LeaseExhausted when offline with nothing left."""
        if self.book.gave_up(intent.key):
            # Told "see staff", or cancelled, under this key, the visitor taps again: a new
            # request (the old key's ticket, if the server made one, is given up all the same).
            intent = replace(intent, key=f"kiosk-{uuid.uuid4().hex}")
        self.book.asking(intent.key, intent.service, intent.priority, self.clock())
        try:
            ticket = await asyncio.wait_for(
                take_number(self.client, intent, retry_every=self.retry_every, on_retry=on_retry),
                timeout=self.patience,
            )
        except TimeoutError:
            # The request may have reached the server and only its answer got lost: its key
            # is kept as given up, and that ghost ticket is cancelled once the server
            # answers again (abandon_unanswered).
            if self.offline_since is None:
                self.offline_since = self.clock()
            try:
                return self.book.issue(
                    intent.service, intent.priority, self.clock(), instead_of=intent.key
                )
            except LeaseExhausted:
                self.book.give_up(intent.key, "sent_to_staff")
                raise
        except Refused:
            self.book.answered(intent.key)
            self.offline_since = None
            raise
        except asyncio.CancelledError:
            # The visitor pressed cancel (or the screen went away) while asking: the server
            # may have done it, and nobody will take that ticket.
            self._visitor_cancelled(intent.key)
            raise
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            # The answer came just as the visitor cancelled (wait_for kept the result and
            # dropped the cancel): this ticket is not shown nor printed, it is given up.
            self._visitor_cancelled(intent.key)
            raise asyncio.CancelledError
        self.book.answered(intent.key)
        self.offline_since = None
        return ticket

    def _visitor_cancelled(self, key: str) -> None:
        """Give the key up in the journal now, and with the server in the background: the
        screen goes back at once; offline, the next pass of `keep_up` (or the app's loop)
        does it. A tap after this asks under a new key (see `take`)."""
        self.book.give_up(key, "visitor_cancelled")
        task = asyncio.get_running_loop().create_task(self._abandon_quietly())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _abandon_quietly(self) -> None:
        try:
            await self.abandon_unanswered()
        except (ServerUnreachable, ApiError) as exc:
            log.warning("cancelled request not given up yet, will retry: %s", exc)

    def journal_state(self) -> tuple[int, int, datetime | None]:
        """(pending, refused, since) for the floor monitor, sent with the device status once
        the server is back: tickets still to reconcile, today's entries the server refused
        (their visitors are to be served by hand) and since when this kiosk was cut off."""
        pending = self.book.unreconciled()
        today = self.clock().astimezone(self.zone).date()
        refused = self.book.refused_on(today, self.zone)
        if not pending and not refused:
            return 0, 0, None
        oldest = [t for t in (self.book.oldest_unreconciled(), *refused) if t is not None]
        return pending, len(refused), self.offline_since or min(oldest)

    async def upload(self) -> int:
        """Send the journal's unreconciled entries; the number reconciled now. An entry the
        server refuses is marked so with its reason (and logged), and the rest go on."""
        done = 0
        while pending := self.book.pending():
            chunk = pending[: self.chunk]
            answers = await self.client.upload_journal(self.device, chunk)
            taken = [str(a["key"]) for a in answers if not a.get("refused")]
            self.book.mark_uploaded(taken, self.clock())
            for answer in answers:
                if answer.get("refused"):
                    code, reason = str(answer["refused"]), str(answer.get("reason") or "")
                    log.error("offline ticket refused by the server (%s): %s", code, reason)
                    self.book.mark_refused(str(answer["key"]), code, reason)
            done += len(taken)
            if not answers:
                break  # an answer naming no entry: do not ask again and again
        return done

    async def abandon_unanswered(self) -> int:
        """Give up, with the server, every ticket asked for and never heard back about: it
        is cancelled if it still waits, so nobody calls a ticket nobody holds. The number
        settled now."""
        async with self._abandoning:
            return await self._abandon_unanswered()

    async def _abandon_unanswered(self) -> int:
        settled = 0
        for key, reason in self.book.to_abandon():
            try:
                answer = await self.client.abandon_ticket(self.device, key, reason=reason)
            except ApiError as exc:
                if exc.status >= 500 or exc.status == 429:
                    raise
                # Not this kiosk's ticket, or a key the server cannot take: nothing to do.
                log.error("unanswered request %s not given up: %s", key, exc)
                self.book.abandoned(key, f"refused: {exc.code}", None, self.clock())
                settled += 1
                continue
            outcome, number = str(answer["outcome"]), answer.get("number")
            if outcome == "too_late":
                log.warning(
                    "ticket %s was asked for, its answer lost, and has been called since (%s)",
                    number, answer.get("state"),
                )  # fmt: skip
            self.book.abandoned(key, outcome, str(number) if number else None, self.clock())
            settled += 1
        return settled

    async def renew(self, services: Sequence[str]) -> int:
        """Ask for a new block for every service running low; the number of new leases."""
        granted = 0
        for service in services:
            if not self.book.needs_lease(service, self.clock()):
                continue
            try:
                lease = await self.client.take_lease(
                    self.device, service, request_id=self.book.request_id(service)
                )
            except ApiError as exc:
                if exc.status >= 500 or exc.status == 429:
                    raise
                continue  # closed, stopped, capped: no lease for this service now
            self.book.add_lease(lease)
            granted += 1
        return granted

    async def keep_up(self, services: Sequence[str], *, every: float) -> None:
        """Forever: upload what was issued offline, then top the leases up."""
        while True:
            try:
                await self.abandon_unanswered()
                await self.upload()
                await self.renew(services)
                self.offline_since = None
            except (ServerUnreachable, ApiError):
                if self.offline_since is None:
                    self.offline_since = self.clock()
            await asyncio.sleep(every)
