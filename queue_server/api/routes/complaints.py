"""投诉登记: the complaints register. The complainant's identity is shown in full to supervision
only; everyone else allowed to read the register sees it masked (see access.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from pydantic import AwareDatetime, BaseModel, Field

from queue_server.api.access import ActorDep, StaffDep
from queue_server.api.deps import ServicesDep
from queue_server.api.schemas import PersonName
from queue_server.api.schemas import Request as Body
from queue_server.domain.assessment.complaints import (
    Channel,
    ComplaintStatus,
    may_see_complainant,
)
from queue_server.services.complaints import ComplaintService, ComplaintView, NewComplaint

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["complaints"])
ONE = "/complaints/{complaint_id}"

Text = Annotated[str, Field(min_length=1, max_length=2000)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        description="repeat a submission with the same key to get the same complaint",
    ),
]


class ComplaintIn(Body):
    channel: Channel
    content: Annotated[str, Field(min_length=1, max_length=4000)]
    complainant_name: Annotated[PersonName, Field(min_length=1, max_length=100)] | None = None
    complainant_phone: Annotated[str, Field(pattern=r"^[0-9+\- ]{5,20}$")] | None = None
    complainant_address: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    window: Annotated[int, Field(ge=1, le=999)] | None = None
    staff_no: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    received_at: AwareDatetime | None = Field(
        None, description="when it came in, with its UTC offset; now if left out"
    )
    deadline: date | None = None


class PassIn(Body):
    window: Annotated[int, Field(ge=1, le=999)] | None = None
    staff_no: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    deadline: date | None = None


class AnswerIn(Body):
    answer: Annotated[str, Field(min_length=1, max_length=4000)]


class CloseIn(Body):
    upheld: bool
    note: Text


class RevisitIn(Body):
    note: Text


class ComplaintOut(BaseModel):
    id: str
    received_at: datetime
    channel: Channel
    content: str
    identity_visible: bool
    complainant_name: str | None
    complainant_phone: str | None
    complainant_address: str | None
    window: int | None
    staff_no: str | None
    deadline: date | None
    overdue: bool
    status: ComplaintStatus
    upheld: bool | None
    answer: str | None
    decision_note: str | None
    decided_on: date | None
    revisit_note: str | None
    registered_by: str | None

    @classmethod
    def of(cls, view: ComplaintView) -> ComplaintOut:
        return cls(
            id=view.id,
            received_at=view.received_at,
            channel=view.channel,
            content=view.content,
            identity_visible=view.identity_visible,
            complainant_name=view.complainant_name,
            complainant_phone=view.complainant_phone,
            complainant_address=view.complainant_address,
            window=view.window,
            staff_no=view.staff_no,
            deadline=view.deadline,
            overdue=view.overdue,
            status=view.status,
            upheld=view.upheld,
            answer=view.answer,
            decision_note=view.decision_note,
            decided_on=view.decided_on,
            revisit_note=view.revisit_note,
            registered_by=view.registered_by,
        )


def _service(services: ServicesDep) -> ComplaintService:
    return services.complaints


@router.post("/complaints", response_model=ComplaintOut, status_code=201)
def register_complaint(
    hall: str,
    body: ComplaintIn,
    services: ServicesDep,
    actor: ActorDep,
    me: StaffDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ComplaintOut:
    """Register a complaint (on site, by phone or letter). A repeat with the same
    Idempotency-Key answers 200 with the complaint registered the first time."""
    new = NewComplaint(**body.model_dump())
    view, created = _service(services).register(
        hall, new, actor, request_key=idempotency_key, reveal=may_see_complainant(me.role)
    )
    if not created:
        response.status_code = 200
    return ComplaintOut.of(view)


@router.get("/complaints", response_model=list[ComplaintOut])
def list_complaints(
    hall: str,
    services: ServicesDep,
    me: StaffDep,
    status: Annotated[ComplaintStatus | None, Query()] = None,
) -> list[ComplaintOut]:
    views = _service(services).list(hall, reveal=may_see_complainant(me.role), status=status)
    return [ComplaintOut.of(v) for v in views]


@router.get(ONE, response_model=ComplaintOut)
def get_complaint(
    hall: str, complaint_id: str, services: ServicesDep, me: StaffDep
) -> ComplaintOut:
    return ComplaintOut.of(
        _service(services).get(hall, complaint_id, reveal=may_see_complainant(me.role))
    )


@router.post(ONE + "/pass", response_model=ComplaintOut)
def pass_complaint(
    hall: str, complaint_id: str, body: PassIn, services: ServicesDep, actor: ActorDep,
    me: StaffDep,
) -> ComplaintOut:  # fmt: skip
    """Pass to the responsible window with a deadline (default 5 working days)."""
    view = _service(services).pass_to_window(
        hall,
        complaint_id,
        actor,
        window=body.window,
        staff_no=body.staff_no,
        deadline=body.deadline,
        reveal=may_see_complainant(me.role),
    )
    return ComplaintOut.of(view)


@router.post(ONE + "/answer", response_model=ComplaintOut)
def answer_complaint(
    hall: str, complaint_id: str, body: AnswerIn, services: ServicesDep, actor: ActorDep,
    me: StaffDep,
) -> ComplaintOut:  # fmt: skip
    view = _service(services).answer(
        hall, complaint_id, body.answer, actor, reveal=may_see_complainant(me.role)
    )
    return ComplaintOut.of(view)


@router.post(ONE + "/close", response_model=ComplaintOut)
def close_complaint(
    hall: str, complaint_id: str, body: CloseIn, services: ServicesDep, actor: ActorDep,
    me: StaffDep,
) -> ComplaintOut:  # fmt: skip
    """Supervision's decision: upheld (属实, counts in this month's assessment) or not."""
    view = _service(services).close(
        hall, complaint_id, body.upheld, body.note, actor, reveal=may_see_complainant(me.role)
    )
    return ComplaintOut.of(view)


@router.post(ONE + "/revisit", response_model=ComplaintOut)
def revisit_complaint(
    hall: str, complaint_id: str, body: RevisitIn, services: ServicesDep, actor: ActorDep,
    me: StaffDep,
) -> ComplaintOut:  # fmt: skip
    view = _service(services).revisit(
        hall, complaint_id, body.note, actor, reveal=may_see_complainant(me.role)
    )
    return ComplaintOut.of(view)
