"""A hall with kiosks that can be cut off: a real uvicorn, a CutProxy in front of it for the
kiosks under test, one more kiosk wired straight to the server that keeps issuing online,
and the checks every offline scenario ends with."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallq_client import HallqClient
from kiosk.offline import OfflineBook, OfflineIssuer, OfflineTicket
from kiosk.taking import TakeIntent, take_number
from queue_server.storage.engine import make_engine
from queue_server.storage.lease_tables import OfflineTicket as OfflineRow
from queue_server.storage.tables import Event, Ticket
from tests.support.busy_day import HALL, DayShape, Prepared, prepare
from tests.support.cut_proxy import CutProxy
from tests.support.hallq_command import hallq
from tests.support.invariants import check_database
from tests.support.server_process import REPO, ServerProcess

SERVICE = "SOC"  # prefix A
SHAPE = DayShape(tickets=0, windows=1, subscribers=0, kiosks=4)
PATIENCE = 0.6  # seconds: short, so a test does not wait like a visitor would
KIOSK_TIMEOUT = httpx.Timeout(10.0, connect=2.0)  # a cold server answers slowly


@dataclass
class Kiosk:
    name: str
    client: HallqClient
    book: OfflineBook
    issuer: OfflineIssuer
    offline: list[OfflineTicket] = field(default_factory=list)


@dataclass
class Bed:
    database_url: str
    prepared: Prepared
    server: ServerProcess
    proxy: CutProxy
    kiosks: list[Kiosk]
    online: HallqClient  # the fourth kiosk, never cut off
    folder: Path
    online_numbers: list[str] = field(default_factory=list)

    def kiosk(self, n: int, chunk: int = 100) -> Kiosk:
        """Kiosk n (0-2) through the proxy, its journal in the test's folder."""
        name = f"load-kiosk-{n}"
        client = HallqClient(
            self.proxy.url, HALL, token=self.prepared.tokens.kiosks[n], timeout=KIOSK_TIMEOUT
        )
        book = OfflineBook(self.folder / f"{name}.sqlite", HALL, name)
        issuer = OfflineIssuer(client, book, name, patience=PATIENCE, retry_every=0.05)
        issuer.chunk = chunk
        # The hall's time zone, as the kiosk app sets it once it has read the hall: today's
        # business day is the hall's, whatever this machine's own zone.
        issuer.zone = ZoneInfo(self.prepared.config.hall.timezone)
        return Kiosk(name, client, book, issuer)


@contextmanager
def offline_bed(database_url: str, folder: Path) -> Iterator[Bed]:
    prepared = prepare(database_url, SHAPE, folder)
    server = ServerProcess(
        database_url, config=prepared.config_path, log_path=folder / "server.log"
    )
    server.start(timeout=180)
    proxy = CutProxy(server.port)
    online = HallqClient(server.url, HALL, token=prepared.tokens.kiosks[3])
    bed = Bed(database_url, prepared, server, proxy, [], online, folder)
    try:
        yield bed
    finally:
        proxy.close()
        server.stop()


async def issue_online(bed: Bed, count: int, *, gap: float) -> None:
    """The kiosk that was never cut off keeps issuing for the same service."""
    for _ in range(count):
        answer = await take_number(bed.online, TakeIntent(SERVICE), retry_every=0.1)
        bed.online_numbers.append(answer.number)
        await asyncio.sleep(gap)


async def issue_offline(kiosk: Kiosk, count: int, *, gap: float) -> None:
    """Visitors at a cut-off kiosk: every number comes from the lease."""
    for n in range(count):
        priority = "green" if n == 2 else "normal"
        ticket = await kiosk.issuer.take(TakeIntent(SERVICE, priority))
        assert isinstance(ticket, OfflineTicket), f"{kiosk.name} got an online ticket while cut off"
        kiosk.offline.append(ticket)
        await asyncio.sleep(gap)


def audit_verify(database_url: str) -> subprocess.CompletedProcess[str]:
    return hallq("audit", "verify", "--database", database_url, cwd=REPO)


def check_reconciled(bed: Bed, kiosks: list[Kiosk]) -> list[str]:
    """Every journal entry is one ticket with the kiosk's number, id and issue time, one
    `ticket.issued` event each (offline, both times recorded); the hall's own invariants."""
    problems: list[str] = []
    check = check_database(bed.database_url, HALL)
    problems += check.problems
    engine = make_engine(bed.database_url)
    try:
        with Session(engine) as session:
            rows = {
                t.id: t
                for t in session.execute(select(Ticket).where(Ticket.hall_id == HALL)).scalars()
            }
            offline_rows = session.execute(select(OfflineRow)).scalars().all()
            issued_events: dict[str, list[dict[str, Any]]] = {}
            for event in session.execute(
                select(Event).where(Event.hall_id == HALL, Event.kind == "ticket.issued")
            ).scalars():
                issued_events.setdefault(str(event.ticket_id), []).append(event.payload)
    finally:
        engine.dispose()
    # Entries the server refused (with their reason) are not tickets.
    entries = [(k, e) for k in kiosks for e in k.book.entries() if not e["refused"]]
    if len(offline_rows) != len(entries):
        problems.append(f"{len(offline_rows)} reconciled rows for {len(entries)} journal entries")
    for kiosk in kiosks:
        if kiosk.book.unreconciled():
            problems.append(f"{kiosk.name}: {kiosk.book.unreconciled()} entries not uploaded")
        for ticket in kiosk.offline:
            row = rows.get(ticket.ticket_id)
            if row is None:
                problems.append(f"{kiosk.name} {ticket.number}: no ticket {ticket.ticket_id}")
                continue
            if row.number != ticket.number:
                problems.append(f"{ticket.ticket_id}: number {row.number} != {ticket.number}")
            if abs((row.issued_at - ticket.issued_at).total_seconds()) > 0.001:
                problems.append(f"{ticket.number}: issued {row.issued_at} != {ticket.issued_at}")
            events = issued_events.get(ticket.ticket_id, [])
            if len(events) != 1:
                problems.append(f"{ticket.number}: {len(events)} ticket.issued events")
            elif not (events[0].get("offline") and events[0].get("uploaded_at")):
                problems.append(f"{ticket.number}: event lacks offline/uploaded_at {events[0]}")
            elif datetime.fromisoformat(events[0]["kiosk_issued_at"]) != ticket.issued_at:
                problems.append(f"{ticket.number}: event kiosk time {events[0]}")
    return problems


@dataclass(frozen=True)
class Called:
    number: str
    priority: str
    issued_at: datetime


def fair_order(called: list[Called]) -> list[Called]:
    """DOMAIN.md's order for one service, every ticket younger than the guard: green-channel
    tickets by issue time, then normal ones by issue time (call_policy.py)."""
    return sorted(called, key=lambda c: (c.priority != "green", c.issued_at, c.number))


async def call_order(bed: Bed) -> list[Called]:
    """A clerk calls, serves and finishes every waiting ticket, in the order called."""
    token = bed.prepared.tokens.clerks[1]
    called: list[Called] = []
    async with HallqClient(bed.server.url, HALL, token=token) as clerk:
        await clerk.sign_in(1)
        while (ticket := await clerk.call_next(1)) is not None:
            when = datetime.fromisoformat(ticket["issued_at"])
            called.append(Called(ticket["number"], ticket["priority"], when))
            await clerk.ticket_action(1, ticket["id"], "start")
            await clerk.ticket_action(1, ticket["id"], "finish", {"case_type": "immediate"})
    return called
