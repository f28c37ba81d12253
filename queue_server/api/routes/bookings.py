"""Online appointments: the portal's API (public), check-in (kiosks), import (administrator).

The phone and the code travel in POST bodies, never in URLs, so they stay out of access logs.
Answers carry masked personal data only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter
from fastapi import Request as HttpRequest
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from pydantic.dataclasses import dataclass as pydantic_dataclass

from queue_server.api.access import ActorDep
from queue_server.api.deps import ServicesDep
from queue_server.api.errors import error_body
from queue_server.api.schemas import PersonName, Request, TicketOut, view_out
from queue_server.domain.appointments import ID_NUMBER_PATTERN, PHONE_PATTERN
from queue_server.services.bookings import BookingRequest, BookingView, CheckInRequest
from queue_server.services.bookings.importing import ImportRejected, parse_bookings_file
from queue_server.services.bookings.views import SlotView

router = APIRouter(prefix="/api/v1", tags=["bookings"])

Code = Annotated[str, Field(min_length=4, max_length=16)]
Phone = Annotated[
    str,
    Field(
        min_length=11,
        max_length=20,
        description="a mobile number: 11 digits starting 13-19 (spaces, - and +86 allowed)",
        json_schema_extra={"pattern": PHONE_PATTERN},
    ),
]
IdNumber = Annotated[
    str,
    Field(
        min_length=18,
        max_length=18,
        description="resident ID number: 17 digits and a digit or X, a real date of birth "
        "(1900 or later) and a matching check character (GB 11643)",
        json_schema_extra={"pattern": ID_NUMBER_PATTERN},
    ),
]


Body = Request


class BookIn(Body):
    service: Annotated[str, Field(min_length=1, max_length=32)]
    slot_start: datetime = Field(description="start of a free slot, as listed (with its offset)")
    name: Annotated[PersonName, Field(min_length=1, max_length=40)]
    phone: Phone
    id_number: IdNumber


class CodeAndPhoneIn(Body):
    code: Code
    phone: Phone


class ConfirmIn(Body):
    code: Code
    phone: Phone
    sms_code: Annotated[
        str,
        Field(
            min_length=6,
            max_length=6,
            pattern=r"^[0-9]{6}$",
            description="the 6 digits sent by SMS",
        ),
    ]


class CheckInIn(Body):
    code: Code | None = None
    phone: Phone | None = None
    id_number: IdNumber | None = None
    normal_if_early: bool = Field(
        False, description="too early: take a normal ticket now instead of coming back"
    )


class ImportIn(Body):
    format: Literal["csv", "ics"]
    content: Annotated[str, Field(min_length=1, max_length=5_000_000)]


class BookingOut(BaseModel):
    code: str
    hall: str
    service: str
    day: date
    slot_start: datetime
    slot_end: datetime
    state: str
    name: str = Field(description="masked, e.g. 张*三")
    phone: str = Field(description="masked, e.g. 138****5678")
    id_number: str = Field(description="masked, e.g. 3301**********1234")
    arrival: str | None
    awaiting_sms_code: bool = Field(
        False, description="held until the code sent to the phone is entered (verify_by_sms)"
    )
    hold_until: datetime | None = Field(
        None, description="when an unconfirmed hold lapses and its place is free again"
    )

    @classmethod
    def of(cls, view: BookingView) -> BookingOut:
        return cls(
            code=view.code,
            hall=view.hall,
            service=view.service,
            day=view.day,
            slot_start=view.slot_start,
            slot_end=view.slot_end,
            state=view.state,
            name=view.name_masked,
            phone=view.phone_masked,
            id_number=view.id_masked,
            arrival=view.arrival,
            awaiting_sms_code=view.awaiting_sms_code,
            hold_until=view.hold_until,
        )


# services/bookings/views.py SlotView as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class SlotOut(SlotView):
    pass


class CheckInOut(BaseModel):
    outcome: Literal["on_time", "late", "too_early", "early_normal"]
    booking: BookingOut
    ticket: TicketOut | None
    window_opens: datetime
    window_closes: datetime
    come_back_at: datetime | None
    replayed: bool


class ImportOut(BaseModel):
    created: int
    unchanged: int


@router.get("/halls/{hall}/booking-slots", response_model=list[SlotOut])
def list_booking_slots(
    hall: str, services: ServicesDep, service: str | None = None
) -> list[SlotOut]:
    return [view_out(SlotOut, s) for s in services.bookings.free_slots(hall, service)]


@router.post("/halls/{hall}/bookings", status_code=201, response_model=BookingOut)
def create_booking(
    hall: str, body: BookIn, services: ServicesDep, actor: ActorDep, http: HttpRequest
) -> BookingOut:
    # Staff booking for a visitor (actor with a clerk) are not counted against an address.
    address = http.client.host if http.client and actor.clerk is None else None
    request = BookingRequest(
        body.service, body.slot_start, body.name, body.phone, body.id_number, address=address
    )
    return BookingOut.of(services.bookings.book(hall, request, actor))


@router.post("/halls/{hall}/bookings/lookup", response_model=BookingOut)
def find_booking(hall: str, body: CodeAndPhoneIn, services: ServicesDep) -> BookingOut:
    return BookingOut.of(services.bookings.lookup(hall, body.code, body.phone))


@router.post("/halls/{hall}/bookings/cancel", response_model=BookingOut)
def cancel_booking(
    hall: str, body: CodeAndPhoneIn, services: ServicesDep, actor: ActorDep
) -> BookingOut:
    return BookingOut.of(services.bookings.cancel(hall, body.code, body.phone, actor))


@router.post("/halls/{hall}/bookings/confirm", response_model=BookingOut)
def confirm_booking(
    hall: str, body: ConfirmIn, services: ServicesDep, actor: ActorDep
) -> BookingOut:
    """The SMS check: the code sent to the booking's phone confirms a held booking."""
    return BookingOut.of(
        services.bookings.confirm(hall, body.code, body.phone, body.sms_code, actor)
    )


@router.post("/halls/{hall}/bookings/check-in", response_model=CheckInOut)
def check_in_booking(
    hall: str, body: CheckInIn, services: ServicesDep, actor: ActorDep
) -> CheckInOut:
    result = services.bookings.check_in(
        hall,
        CheckInRequest(
            code=body.code,
            phone=body.phone,
            id_number=body.id_number,
            normal_if_early=body.normal_if_early,
        ),
        actor,
    )
    return CheckInOut(
        outcome=result.outcome,
        booking=BookingOut.of(result.booking),
        ticket=TicketOut.of(result.ticket) if result.ticket is not None else None,
        window_opens=result.window_opens,
        window_closes=result.window_closes,
        come_back_at=result.come_back_at,
        replayed=result.replayed,
    )


@router.post(
    "/halls/{hall}/bookings/import",
    response_model=ImportOut,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ImportIn.model_json_schema()}},
        }
    },
)
async def import_bookings(
    hall: str, http: HttpRequest, services: ServicesDep, actor: ActorDep
) -> ImportOut | JSONResponse:
    # The one large body (up to 8 MiB, api/body_limit.py): read only once the access check
    # has passed (a body parameter would be parsed before it), and parsed off the event loop.
    raw = await http.body()
    try:
        body = await run_in_threadpool(ImportIn.model_validate_json, raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False), body=None) from None
    try:
        rows = await run_in_threadpool(parse_bookings_file, body.content, body.format)
        created, unchanged = await run_in_threadpool(
            services.bookings.import_rows, hall, rows, actor
        )
    except ImportRejected as exc:
        return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=422)
    return ImportOut(created=created, unchanged=unchanged)
