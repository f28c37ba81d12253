"""刷身份证取号: a kiosk presents the ID number read from a resident ID card.

The number travels only in POST bodies (never a URL, so never an access log) and the server
keys the hash itself: the key stays on the server (docs/appointments.md, ID card). Answers
carry no personal data.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, Field

from queue_server.api.access import ActorDep
from queue_server.api.deps import ServicesDep
from queue_server.api.routes.bookings import BookingOut, CheckInOut, IdNumber
from queue_server.api.schemas import Request, TicketOut
from queue_server.services.bookings.views import CheckInResult

router = APIRouter(prefix="/api/v1", tags=["id card"])

CardKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=64,
        description="one key per visitor decision: a retry gets the same ticket",
    ),
]


class CardIn(Request):
    id_number: IdNumber


class CardTicketIn(Request):
    id_number: IdNumber
    service: Annotated[str, Field(min_length=1, max_length=32)]


class CardOfferOut(BaseModel):
    service: str
    priority: Literal["green", "normal"]


class CardPresentedOut(BaseModel):
    outcome: Literal["check_in", "choose", "taken"]
    check_in: CheckInOut | None = Field(None, description="outcome check_in: as bookings/check-in")
    offers: list[CardOfferOut] = Field(description="outcome choose: every service, its priority")
    tickets: list[TicketOut] = Field(description="numbers taken with this card today, latest first")
    green_by_age: bool


class CardIssuedOut(BaseModel):
    outcome: Literal["issued", "taken"]
    ticket: TicketOut | None
    replayed: bool
    tickets: list[TicketOut]


def check_in_out(result: CheckInResult) -> CheckInOut:
    return CheckInOut(
        outcome=result.outcome,
        booking=BookingOut.of(result.booking),
        ticket=TicketOut.of(result.ticket) if result.ticket is not None else None,
        window_opens=result.window_opens,
        window_closes=result.window_closes,
        come_back_at=result.come_back_at,
        replayed=result.replayed,
    )


@router.post("/halls/{hall}/id-card/present", response_model=CardPresentedOut)
def present_id_card(
    hall: str, body: CardIn, services: ServicesDep, actor: ActorDep
) -> CardPresentedOut:
    found = services.id_cards.present(hall, body.id_number, actor)
    return CardPresentedOut(
        outcome=found.outcome,
        check_in=check_in_out(found.check_in) if found.check_in is not None else None,
        offers=[CardOfferOut(service=o.service, priority=o.priority.value) for o in found.offers],
        tickets=[TicketOut.of(t) for t in found.tickets],
        green_by_age=found.green_by_age,
    )


@router.post("/halls/{hall}/id-card/tickets", response_model=CardIssuedOut)
def issue_with_id_card(
    hall: str,
    body: CardTicketIn,
    services: ServicesDep,
    actor: ActorDep,
    response: Response,
    idempotency_key: CardKey,
) -> CardIssuedOut:
    issued = services.id_cards.issue(hall, body.id_number, body.service, idempotency_key, actor)
    if issued.outcome == "issued" and not issued.replayed:
        response.status_code = 201
    return CardIssuedOut(
        outcome=issued.outcome,
        ticket=TicketOut.of(issued.ticket) if issued.ticket is not None else None,
        replayed=issued.replayed,
        tickets=[TicketOut.of(t) for t in issued.tickets],
    )
