"""JSON shapes of the HTTP API (requests refuse unknown fields)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic.dataclasses import dataclass as pydantic_dataclass
from pydantic_core import PydanticCustomError
from starlette.responses import Response

from queue_server.domain.text_input import name_problem, text_problem
from queue_server.domain.tickets import CaseType
from queue_server.services.views import ClerkOnDuty, Snapshot, TicketView, WindowView

Note = Annotated[str, Field(max_length=500)]
V = TypeVar("V")


def view_out(model: Callable[..., V], view: Any) -> V:
    """A response model generated from a service dataclass (`class XOut(X)` under pydantic's
    dataclass: X's fields, names and types, no copy to keep in step), filled from one of the
    service's views. Pydantic takes only its own class for a nested field, not X itself."""
    return model(**{f.name: getattr(view, f.name) for f in dataclasses.fields(view)})


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise PydanticCustomError("text", problem)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)


def _person_name(value: str) -> str:
    problem = name_problem(value)
    if problem is not None:
        raise PydanticCustomError("name", problem)
    return value


# A visitor's, complainant's or clerk's name (queue_server.domain.text_input).
PersonName = Annotated[str, AfterValidator(_person_name)]


class Request(BaseModel):
    """Every request body: unknown fields refused, and every text in it follows the one
    input rule (queue_server.domain.text_input), so the answer is a 422 naming the field on
    SQLite and PostgreSQL alike, never a database error."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _text_rule(cls, value: Any) -> Any:
        _check_text(value)
        return value


class IssueIn(Request):
    service: Annotated[str, Field(min_length=1, max_length=32)]
    priority: Literal["normal", "green"] = "normal"


class CallSpecificIn(Request):
    ticket: Annotated[str, Field(min_length=1, max_length=32, description="number or id")]
    reason: Note | None = None


class HoldIn(Request):
    note: Note | None = None


class TransferIn(Request):
    service: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    window: Annotated[int, Field(ge=1, le=999)] | None = None
    note: Annotated[str, Field(min_length=1, max_length=500)]


class FinishIn(Request):
    case_type: CaseType
    deadline: date | None = None


class PauseIn(Request):
    reason: Literal["break", "meeting", "backup_cover", "training", "other"]
    note: Note | None = None


class CancelIn(Request):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class WaitOut(BaseModel):
    low_minutes: int | None
    high_minutes: int | None
    text: str
    basis: str
    about_minutes: int | None = Field(
        default=None,
        description="nobody ahead: the one figure to show (about N minutes) instead of the range",
    )


class TicketOut(BaseModel):
    id: str
    hall: str
    number: str
    service: str
    priority: str
    state: str
    recall_count: int
    issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    window: int | None
    case_type: str | None
    deadline: date | None
    transferred_from: str | None
    transferred_to: str | None
    target_window: int | None
    ahead: int | None
    estimated_wait: WaitOut | None

    @classmethod
    def of(cls, view: TicketView) -> TicketOut:
        estimate = view.estimated_wait
        return cls(
            **{k: getattr(view, k) for k in cls.model_fields if k != "estimated_wait"},
            estimated_wait=None
            if estimate is None
            else WaitOut(
                low_minutes=estimate.low_minutes,
                high_minutes=estimate.high_minutes,
                text=estimate.text,
                basis=estimate.basis,
                about_minutes=estimate.about_minutes,
            ),
        )


def ticket_json(
    view: TicketView, *, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A ticket as a route's whole JSON answer, serialized once. A route that returns the
    model itself has FastAPI validate it again against the response model before serializing
    it; built here from a service's view, it is valid already (the hot path, issue 22). The
    route keeps `response_model=TicketOut` for its documentation."""
    return Response(
        TicketOut.of(view).model_dump_json(),
        status_code=status_code,
        media_type="application/json",
        headers=headers,
    )


class TextOut(BaseModel):
    zh: str
    en: str | None


class HallOut(BaseModel):
    id: str
    name: TextOut
    timezone: str
    open_now: bool
    state: str
    next_opening: datetime | None


class PublicsOut(BaseModel):
    content: TextOut
    procedure: list[TextOut]
    materials: list[TextOut]
    time_limit_days: int
    fee: TextOut
    fee_basis: TextOut | None


class ServiceOut(BaseModel):
    code: str
    name: TextOut
    category: TextOut | None
    prefix: str
    publics: PublicsOut
    daily_cap: int | None
    green_channel: bool
    waiting: int
    issuing_stopped: bool
    windows: list[int]
    bookable: bool = False  # online appointments (预约) can be made for it


# services/views.py ClerkOnDuty as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class ClerkOut(ClerkOnDuty):
    pass


class WindowOut(BaseModel):
    number: int
    name: str
    state: str
    is_open: bool
    paused: bool
    pause_reason: str | None
    paused_at: datetime | None
    services: dict[str, int]
    current: TicketOut | None
    clerk: ClerkOut | None = Field(None, description="signed in now (public by regulation)")

    @classmethod
    def of(cls, view: WindowView) -> WindowOut:
        return cls(
            number=view.number,
            name=view.name,
            state=view.state,
            is_open=view.is_open,
            paused=view.paused,
            pause_reason=view.pause_reason,
            paused_at=view.paused_at,
            services=view.services,
            current=TicketOut.of(view.current) if view.current else None,
            clerk=view_out(ClerkOut, view.clerk) if view.clerk else None,
        )


class QueueOut(BaseModel):
    service: str
    waiting: int
    issuing_stopped: bool


class SnapshotOut(BaseModel):
    hall: str
    last_seq: int
    at: datetime
    hall_state: str
    windows: list[WindowOut]
    queues: list[QueueOut]
    waiting: list[TicketOut]

    @classmethod
    def of(cls, snap: Snapshot) -> SnapshotOut:
        return cls(
            hall=snap.hall,
            last_seq=snap.last_seq,
            at=snap.at,
            hall_state=snap.hall_state,
            windows=[WindowOut.of(w) for w in snap.windows],
            queues=[
                QueueOut(service=q.code, waiting=q.waiting, issuing_stopped=q.issuing_stopped)
                for q in snap.queues
            ],
            waiting=[TicketOut.of(t) for t in snap.waiting],
        )


class WindowStateOut(BaseModel):
    window: int
    paused: bool
