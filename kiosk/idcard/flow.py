"""What the server answers to a card tap, parsed strictly, and the asks (retried like taking
a number: the present is a read plus a check-in keyed by the booking; the issue carries an
Idempotency-Key)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hallq_client import HallqClient, models
from kiosk.checkin import CheckedIn
from kiosk.model import BadAnswer, IssuedTicket
from kiosk.taking import TakeIntent, ask_until_answered


@dataclass(frozen=True)
class CardOffer:
    service: str
    priority: str  # green | normal


@dataclass(frozen=True)
class CardAnswer:
    outcome: str  # check_in | choose | taken
    check_in: CheckedIn | None
    offers: tuple[CardOffer, ...]
    tickets: tuple[IssuedTicket, ...]
    green_by_age: bool

    @classmethod
    def of(cls, data: models.CardPresented) -> CardAnswer:
        try:
            outcome = str(data["outcome"])
            if outcome not in ("check_in", "choose", "taken"):
                raise ValueError(f"unknown outcome {outcome!r}")
            answer = data.get("check_in")
            if outcome == "check_in" and not answer:
                raise ValueError("check_in without the check-in")
            check_in = CheckedIn.of(answer) if outcome == "check_in" and answer else None
            offers = tuple(CardOffer(str(o["service"]), str(o["priority"])) for o in data["offers"])
            tickets = tuple(IssuedTicket.of(t) for t in data["tickets"])
            if outcome == "taken" and not tickets:
                raise ValueError("taken without the tickets taken")
            return cls(outcome, check_in, offers, tickets, bool(data["green_by_age"]))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadAnswer(f"bad card answer: {exc}") from exc


@dataclass(frozen=True)
class CardIssued:
    ticket: IssuedTicket | None  # None: the daily limit was reached meanwhile
    tickets: tuple[IssuedTicket, ...]

    @classmethod
    def of(cls, data: models.CardIssued) -> CardIssued:
        try:
            issued = data["ticket"]
            if data["outcome"] == "issued" and not issued:
                raise ValueError("issued without the ticket")
            ticket = IssuedTicket.of(issued) if data["outcome"] == "issued" and issued else None
            tickets = tuple(IssuedTicket.of(t) for t in data["tickets"])
            if ticket is None and not tickets:
                raise ValueError("neither a ticket nor the tickets taken")
            return cls(ticket, tickets)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadAnswer(f"bad card ticket: {exc}") from exc


async def present(
    client: HallqClient,
    id_number: str,
    *,
    retry_every: float,
    on_retry: Callable[[int], None] | None = None,
) -> CardAnswer:
    async def ask() -> CardAnswer:
        return CardAnswer.of(await client.present_id_card(id_number))

    return await ask_until_answered(ask, retry_every=retry_every, on_retry=on_retry)


async def issue(
    client: HallqClient,
    id_number: str,
    intent: TakeIntent,
    *,
    retry_every: float,
    on_retry: Callable[[int], None] | None = None,
) -> CardIssued:
    async def ask() -> CardIssued:
        answer = await client.issue_with_id_card(
            id_number, intent.service, idempotency_key=intent.key
        )
        return CardIssued.of(answer)

    return await ask_until_answered(ask, retry_every=retry_every, on_retry=on_retry)
