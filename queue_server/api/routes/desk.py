"""A clerk at a window: sign in and out, today's counts, the one-time notice, deadlines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from queue_server.api.access import ActorDep, StaffDep
from queue_server.api.deps import ServicesDep
from queue_server.api.params import WindowNo
from queue_server.api.schemas import Note, view_out
from queue_server.api.schemas import Request as Body
from queue_server.services.attendance import AttendanceService, SignInView
from queue_server.services.window_desk import Notice, WindowDesk

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["windows"])
WINDOW = "/windows/{window}"


class SignInOut(BaseModel):
    hall: str
    window: int
    staff_no: str
    name: str
    signed_in_at: datetime
    attendance: str = Field(description="on_time | late | outside_hours")
    minutes_late: int
    signed_out_at: datetime | None
    sign_out_attendance: str | None = Field(description="on_time | early_leave | outside_hours")
    minutes_early: int

    @classmethod
    def of(cls, view: SignInView) -> SignInOut:
        return cls(
            hall=view.hall,
            window=view.window,
            staff_no=view.staff_no,
            name=view.name,
            signed_in_at=view.signed_in_at,
            attendance=view.attendance.value,
            minutes_late=view.minutes_late,
            signed_out_at=view.signed_out_at,
            sign_out_attendance=view.sign_out_attendance.value
            if view.sign_out_attendance
            else None,
            minutes_early=view.minutes_early,
        )


class WindowDayOut(BaseModel):
    window: int
    day: date
    called: int
    finished: int
    no_show: int
    transferred: int
    by_case_type: dict[str, int]
    average_handling_seconds: int | None
    pause_reason: str | None = Field(None, description="set while the window is paused")
    pause_note: str | None = Field(None, description="the clerk's note, masked; staff only")


class NoticeIn(Body):
    materials: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]],
        Field(min_length=1, max_length=50, description="from the service's published list"),
    ]
    note: Note | None = None


# services/window_desk.py Notice as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class NoticeOut(Notice):
    pass


class DeadlineOut(BaseModel):
    service: str
    deadline: date


def _attendance(services: ServicesDep) -> AttendanceService:
    return services.attendance


def _desk(services: ServicesDep) -> WindowDesk:
    return services.desk


@router.post(WINDOW + "/sign-in", response_model=SignInOut)
def sign_in(hall: str, window: WindowNo, services: ServicesDep, me: StaffDep) -> SignInOut:
    return SignInOut.of(_attendance(services).sign_in(hall, window, me.user_id))


@router.post(WINDOW + "/sign-out", response_model=SignInOut)
def sign_out(hall: str, window: WindowNo, services: ServicesDep, actor: ActorDep) -> SignInOut:
    return SignInOut.of(_attendance(services).sign_out(hall, window, actor))


@router.get(WINDOW + "/today", response_model=WindowDayOut)
def window_today(hall: str, window: WindowNo, services: ServicesDep) -> WindowDayOut:
    day = _desk(services).today(hall, window)
    return WindowDayOut(
        window=day.window,
        day=day.day,
        called=day.called,
        finished=day.finished,
        no_show=day.no_show,
        transferred=day.transferred,
        by_case_type=day.by_case_type,
        average_handling_seconds=day.average_handling_seconds,
        pause_reason=day.pause_reason,
        pause_note=day.pause_note,
    )


@router.post(WINDOW + "/tickets/{ticket_id}/notice", response_model=NoticeOut, status_code=201)
def give_notice(
    hall: str,
    window: WindowNo,
    ticket_id: str,
    body: NoticeIn,
    services: ServicesDep,
    actor: ActorDep,
) -> NoticeOut:
    notice = _desk(services).give_notice(hall, window, ticket_id, body.materials, body.note, actor)
    return view_out(NoticeOut, notice)


@router.get("/services/{service}/promised-deadline", response_model=DeadlineOut)
def promised_deadline(hall: str, service: str, services: ServicesDep) -> DeadlineOut:
    """The deadline a promised case (承诺件) of this service finished now gets by default."""
    return DeadlineOut(service=service, deadline=services.queue.promised_deadline(hall, service))
