"""好差评 from the window displays; follow-ups of bad ratings for the duty lead and supervision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from queue_server.api.access import ActorDep, DeviceDep
from queue_server.api.deps import ServicesDep
from queue_server.api.params import Day, WindowNo
from queue_server.api.schemas import Request as Body
from queue_server.api.schemas import TextOut, view_out
from queue_server.domain.rating import (
    BAD,
    LEVEL_TEXT,
    REASON_TEXT,
    WITH_REASONS,
    FollowUpState,
    Level,
)
from queue_server.services.follow_ups import FollowUpService, FollowUpView, Step
from queue_server.services.ratings import LevelCount

router = APIRouter(prefix="/api/v1", tags=["rating"])
HALL = "/halls/{hall}"
FOLLOW_UP = HALL + "/follow-ups/{follow_up_id}"


class LevelOut(BaseModel):
    code: Level
    text: TextOut
    reasons_allowed: bool
    bad: bool


class RatingOptionsOut(BaseModel):
    levels: list[LevelOut]
    reasons: dict[str, TextOut]


class RatingIn(Body):
    level: Level
    reasons: Annotated[list[str], Field(default_factory=list, max_length=len(REASON_TEXT))]
    phone: Annotated[str, Field(pattern=r"^[0-9+\- ]{5,20}$")] | None = Field(
        None, description="optional, with a bad rating: for the follow-up call"
    )


class RatingOut(BaseModel):
    recorded: bool = True
    follow_up: bool
    follow_up_deadline: date | None


class NoteIn(Body):
    note: Annotated[str, Field(min_length=1, max_length=1000)]


# services/follow_ups.py Step as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class StepOut(Step):
    pass


class FollowUpOut(BaseModel):
    id: str
    state: FollowUpState
    opened_at: datetime
    deadline: date
    overdue: bool
    window: int
    ticket_number: str
    service: str
    clerk_staff_no: str | None
    clerk_name: str | None
    level: Level
    reasons: list[str]
    visitor_phone: str | None
    contact: StepOut | None
    fix: StepOut | None
    closure: StepOut | None

    @classmethod
    def of(cls, view: FollowUpView) -> FollowUpOut:
        return cls(
            id=view.id,
            state=view.state,
            opened_at=view.opened_at,
            deadline=view.deadline,
            overdue=view.overdue,
            window=view.window,
            ticket_number=view.ticket_number,
            service=view.service,
            clerk_staff_no=view.clerk_staff_no,
            clerk_name=view.clerk_name,
            level=view.level,
            reasons=view.reasons,
            visitor_phone=view.visitor_phone,
            contact=_step(view.contact),
            fix=_step(view.fix),
            closure=_step(view.closure),
        )


# services/ratings.py LevelCount as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class LevelCountOut(LevelCount):
    pass


def _step(step: Step | None) -> StepOut | None:
    return None if step is None else view_out(StepOut, step)


def _text(pair: tuple[str, str]) -> TextOut:
    return TextOut(zh=pair[0], en=pair[1])


def _follow_ups(services: ServicesDep) -> FollowUpService:
    return services.follow_ups


@router.get("/rating/options", response_model=RatingOptionsOut)
def rating_options() -> RatingOptionsOut:
    """The five levels (national rule) and the reasons a lower rating may carry."""
    return RatingOptionsOut(
        levels=[
            LevelOut(
                code=level,
                text=_text(LEVEL_TEXT[level]),
                reasons_allowed=level in WITH_REASONS,
                bad=level in BAD,
            )
            for level in Level
        ],
        reasons={code: _text(text) for code, text in REASON_TEXT.items()},
    )


@router.post(
    HALL + "/windows/{window}/tickets/{ticket_id}/rating", response_model=RatingOut, status_code=201
)
def rate_ticket(
    hall: str,
    window: WindowNo,
    ticket_id: str,
    body: RatingIn,
    services: ServicesDep,
    me: DeviceDep,
) -> RatingOut:
    receipt = services.ratings.rate(
        hall, window, ticket_id, body.level, body.reasons, me.name, body.phone
    )
    return RatingOut(follow_up=receipt.follow_up, follow_up_deadline=receipt.follow_up_deadline)


@router.get(HALL + "/ratings/summary", response_model=list[LevelCountOut])
def rating_summary(hall: str, services: ServicesDep, day: Day = None) -> list[LevelCountOut]:
    """Ratings per window and level for a day (today by default); never per ticket."""
    when = day or services.halls.get(hall).calendar.business_day(services.clock.now())
    counts = services.ratings.summary(hall, when)
    return [view_out(LevelCountOut, c) for c in counts]


@router.get(HALL + "/follow-ups", response_model=list[FollowUpOut])
def list_follow_ups(
    hall: str, services: ServicesDep, state: Annotated[FollowUpState | None, Query()] = None
) -> list[FollowUpOut]:
    return [FollowUpOut.of(v) for v in _follow_ups(services).list(hall, state)]


@router.get(FOLLOW_UP, response_model=FollowUpOut)
def get_follow_up(hall: str, follow_up_id: str, services: ServicesDep) -> FollowUpOut:
    return FollowUpOut.of(_follow_ups(services).get(hall, follow_up_id))


@router.post(FOLLOW_UP + "/contact", response_model=FollowUpOut)
def record_follow_up_contact(
    hall: str, follow_up_id: str, body: NoteIn, services: ServicesDep, actor: ActorDep
) -> FollowUpOut:
    """Contact with the visitor: when, how, what they said."""
    return FollowUpOut.of(
        _follow_ups(services).record_contact(hall, follow_up_id, body.note, actor)
    )


@router.post(FOLLOW_UP + "/fix", response_model=FollowUpOut)
def record_follow_up_fix(
    hall: str, follow_up_id: str, body: NoteIn, services: ServicesDep, actor: ActorDep
) -> FollowUpOut:
    return FollowUpOut.of(_follow_ups(services).record_fix(hall, follow_up_id, body.note, actor))


@router.post(FOLLOW_UP + "/close", response_model=FollowUpOut)
def close_follow_up(
    hall: str, follow_up_id: str, body: NoteIn, services: ServicesDep, actor: ActorDep
) -> FollowUpOut:
    return FollowUpOut.of(_follow_ups(services).close(hall, follow_up_id, body.note, actor))
