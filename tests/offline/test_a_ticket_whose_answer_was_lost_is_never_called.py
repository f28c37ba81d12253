"""The ghost ticket: a kiosk asks for a number, the server commits the ticket, the answer is
lost and the network goes down with it, so the kiosk issues from its lease instead and the
visitor holds the offline ticket. The kiosk kept the request's Idempotency-Key in its journal
(through a restart, too); once the network is back it gives that ticket up: the ghost is
cancelled with its reason and never called, the offline ticket is reconciled and called, and
`hallq audit verify` passes. Only the kiosk that asked can give it up; a key that never
reached the server is burnt, so the request arriving late issues nothing. On SQLite and
PostgreSQL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from hallq_client import ApiError, HallqClient
from kiosk.offline import LeaseExhausted, OfflineTicket
from kiosk.taking import TakeIntent
from queue_server.storage.engine import make_engine
from queue_server.storage.tables import Event, IdempotencyKey, Ticket
from tests.support.busy_day import HALL
from tests.support.offline_bed import (
    SERVICE,
    audit_verify,
    call_order,
    check_reconciled,
    offline_bed,
)


def ghost_of(database_url: str, key: str) -> tuple[Ticket | None, list[dict[str, object]]]:
    """The ticket the server made under the kiosk's key, and its cancellation events."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            seen = session.get(IdempotencyKey, (HALL, key))
            if seen is None or not seen.ticket_id:
                return None, []
            ticket = session.get(Ticket, seen.ticket_id)
            cancelled = [
                e.payload
                for e in session.execute(
                    select(Event).where(
                        Event.ticket_id == seen.ticket_id, Event.kind == "ticket.cancelled"
                    )
                ).scalars()
            ]
            session.expunge_all()
            return ticket, cancelled
    finally:
        engine.dispose()


def test_a_ticket_whose_answer_was_lost_is_never_called(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with offline_bed(database_url, tmp_path) as bed:
            kiosk = bed.kiosk(0)
            assert await kiosk.issuer.renew([SERVICE]) == 1
            # The server does it; its answer and then the whole network are lost.
            bed.proxy.lose_next_answer(b"/tickets", then="refuse")
            intent = TakeIntent(SERVICE)
            visitor = await kiosk.issuer.take(intent)
            assert bed.proxy.lost == 1
            assert isinstance(visitor, OfflineTicket)  # the visitor holds the offline one
            ghost, _ = ghost_of(bed.database_url, intent.key)
            assert ghost is not None and ghost.state == "waiting"  # ...and a ghost waits
            assert ghost.number != visitor.number
            assert kiosk.book.to_abandon() == [(intent.key, "served_offline")]

            # A power cut before the network is back: the restarted kiosk still knows.
            await kiosk.client.aclose()
            kiosk.book.close()
            kiosk = bed.kiosk(0)
            assert kiosk.book.to_abandon() == [(intent.key, "served_offline")]

            bed.proxy.set_mode("pass")
            # Another kiosk cannot give up this kiosk's ticket, even knowing the key.
            other = bed.kiosk(1)
            with pytest.raises(ApiError) as refused:
                await other.client.abandon_ticket(other.name, intent.key, reason="served_offline")
            assert refused.value.status == 404
            await other.client.aclose()
            other.book.close()

            assert await kiosk.issuer.abandon_unanswered() == 1
            assert await kiosk.issuer.abandon_unanswered() == 0  # settled: not sent again
            [settled] = kiosk.book.unanswered()
            assert (settled["outcome"], settled["number"]) == ("cancelled", ghost.number)
            assert await kiosk.issuer.upload() == 1
            again = await kiosk.client.abandon_ticket(
                kiosk.name, intent.key, reason="served_offline"
            )
            assert again["outcome"] == "already_cancelled"  # safe to repeat

            ghost, cancelled = ghost_of(bed.database_url, intent.key)
            assert ghost is not None and ghost.state == "cancelled"
            assert cancelled == [
                {"number": ghost.number, "reason": "abandoned: answer lost, visitor served offline"}
            ]

            # A request that never reached the server: its key is burnt, a late arrival
            # with it issues nothing.
            lost_on_the_way = TakeIntent(SERVICE)
            kiosk.book.asking(lost_on_the_way.key, SERVICE, "normal", kiosk.issuer.clock())
            kiosk.book.give_up(lost_on_the_way.key, "sent_to_staff")
            assert await kiosk.issuer.abandon_unanswered() == 1
            assert kiosk.book.unanswered()[-1]["outcome"] == "not_issued"
            with pytest.raises(ApiError) as late:
                await kiosk.client.issue_ticket(SERVICE, idempotency_key=lost_on_the_way.key)
            assert late.value.status == 409

            problems = check_reconciled(bed, [kiosk])
            assert not problems, "\n".join(problems)
            called = await call_order(bed)
            assert [c.number for c in called] == [visitor.number]  # never the ghost
            result = audit_verify(bed.database_url)
            assert result.returncode == 0, result.stdout + result.stderr
            await kiosk.client.aclose()
            kiosk.book.close()
            await bed.online.aclose()

    asyncio.run(scenario())


def test_only_the_kiosk_that_asked_gives_a_ticket_up(tmp_path: Path, sqlite_url: str) -> None:
    """A duty lead's token is refused by the access table (kiosk only, its own name)."""

    async def scenario() -> None:
        with offline_bed(sqlite_url, tmp_path) as bed:
            async with HallqClient(
                bed.server.url, HALL, token=bed.prepared.tokens.duty_lead
            ) as lead:
                with pytest.raises(ApiError) as refused:
                    await lead.abandon_ticket("load-kiosk-0", "kiosk-abc", reason="served_offline")
                assert refused.value.status == 403
            async with HallqClient(
                bed.server.url, HALL, token=bed.prepared.tokens.kiosks[0]
            ) as kiosk:
                with pytest.raises(ApiError) as elsewhere:  # its token, another kiosk's name
                    await kiosk.abandon_ticket("load-kiosk-1", "kiosk-abc", reason="served_offline")
                assert elsewhere.value.status == 403
                with pytest.raises(ApiError) as unknown:
                    await kiosk.abandon_ticket("load-kiosk-0", "kiosk-abc", reason="bored")
                assert unknown.value.status == 422
            await bed.online.aclose()

    asyncio.run(scenario())


def test_a_visitor_sent_to_staff_who_taps_again_gets_a_new_number(
    sqlite_url: str, tmp_path: Path
) -> None:
    """The answer is lost and the lease is used up: the visitor is sent to staff (no number)
    and the ghost is given up; tapping again on the same screen once the network is back is
    a new request with a new key, never the ghost nor a refusal."""

    async def scenario() -> None:
        with offline_bed(sqlite_url, tmp_path) as bed:
            kiosk = bed.kiosk(0)
            await kiosk.issuer.renew([SERVICE])
            while kiosk.book.left(SERVICE, kiosk.issuer.clock()):
                kiosk.book.issue(SERVICE, "normal", kiosk.issuer.clock())
            bed.proxy.lose_next_answer(b"/tickets", then="refuse")
            intent = TakeIntent(SERVICE)
            with pytest.raises(LeaseExhausted):
                await kiosk.issuer.take(intent)
            assert kiosk.book.to_abandon() == [(intent.key, "sent_to_staff")]
            ghost, _ = ghost_of(bed.database_url, intent.key)
            assert ghost is not None and ghost.state == "waiting"

            bed.proxy.set_mode("pass")
            again = await kiosk.issuer.take(intent)  # the same screen, the same intent
            assert not isinstance(again, OfflineTicket) and again.number != ghost.number
            assert await kiosk.issuer.abandon_unanswered() == 1
            ghost, cancelled = ghost_of(bed.database_url, intent.key)
            assert ghost is not None and ghost.state == "cancelled"
            assert cancelled[0]["reason"] == (
                "abandoned: answer lost, lease used up, visitor sent to staff"
            )
            called = await call_order(bed)
            assert [c.number for c in called] == [again.number]
            await kiosk.client.aclose()
            kiosk.book.close()
            await bed.online.aclose()

    asyncio.run(scenario())
