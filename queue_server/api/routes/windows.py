"""What a window does: call, recall, no-show, start, hold, return, transfer, finish, pause.

The call round (call-next, recall, no-show, start, finish) is async and goes through the
hall's writer, as issuing does (routes/tickets.py says why); calling a given number is async
with one hop to a worker thread.
"""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from queue_server.api.access import ActorDep
from queue_server.api.deps import ServicesDep
from queue_server.api.params import WindowNo
from queue_server.api.schemas import (
    CallSpecificIn,
    FinishIn,
    HoldIn,
    PauseIn,
    TicketOut,
    TransferIn,
    WindowStateOut,
    ticket_json,
)

router = APIRouter(prefix="/api/v1/halls/{hall}/windows/{window}", tags=["windows"])
TICKET = "/tickets/{ticket_id}"


@router.post(
    "/call-next",
    response_model=TicketOut,
    responses={204: {"description": "nothing waits for this window"}},
)
async def call_next(
    hall: str, window: WindowNo, services: ServicesDep, actor: ActorDep
) -> Response:
    called = await services.hall_writer.run(hall, services.queue.call_next_job(hall, window, actor))
    if called is None:
        return Response(status_code=204)
    return ticket_json(called)


@router.post("/call", response_model=TicketOut)
async def call_specific(
    hall: str, window: WindowNo, body: CallSpecificIn, services: ServicesDep, actor: ActorDep
) -> TicketOut:
    called = await run_in_threadpool(
        services.queue.call_specific, hall, window, body.ticket, body.reason, actor
    )
    return TicketOut.of(called)


class HandoverOut(BaseModel):
    note: str | None


@router.get(TICKET + "/handover", response_model=HandoverOut)
def ticket_handover(
    hall: str, window: WindowNo, ticket_id: str, services: ServicesDep
) -> HandoverOut:
    """The transfer note for the window that called a transferred visitor (staff only)."""
    return HandoverOut(note=services.queue.handover_note(hall, window, ticket_id))


@router.post(TICKET + "/recall", response_model=TicketOut)
async def recall_ticket(
    hall: str, window: WindowNo, ticket_id: str, services: ServicesDep, actor: ActorDep
) -> Response:
    moved = await services.hall_writer.run(
        hall, services.queue.recall_job(hall, window, ticket_id, actor)
    )
    return ticket_json(moved)


@router.post(TICKET + "/no-show", response_model=TicketOut)
async def mark_no_show(
    hall: str, window: WindowNo, ticket_id: str, services: ServicesDep, actor: ActorDep
) -> Response:
    moved = await services.hall_writer.run(
        hall, services.queue.no_show_job(hall, window, ticket_id, actor)
    )
    return ticket_json(moved)


@router.post(TICKET + "/start", response_model=TicketOut)
async def start_ticket(
    hall: str, window: WindowNo, ticket_id: str, services: ServicesDep, actor: ActorDep
) -> Response:
    moved = await services.hall_writer.run(
        hall, services.queue.start_job(hall, window, ticket_id, actor)
    )
    return ticket_json(moved)


@router.post(TICKET + "/hold", response_model=TicketOut)
def hold_ticket(
    hall: str,
    window: WindowNo,
    ticket_id: str,
    services: ServicesDep,
    actor: ActorDep,
    body: HoldIn | None = None,
) -> TicketOut:
    return TicketOut.of(
        services.queue.hold(hall, window, ticket_id, body.note if body else None, actor)
    )


@router.post(TICKET + "/return", response_model=TicketOut)
def return_ticket(
    hall: str, window: WindowNo, ticket_id: str, services: ServicesDep, actor: ActorDep
) -> TicketOut:
    return TicketOut.of(services.queue.return_(hall, window, ticket_id, actor))


@router.post(TICKET + "/transfer", response_model=TicketOut, status_code=201)
def transfer_ticket(
    hall: str,
    window: WindowNo,
    ticket_id: str,
    body: TransferIn,
    services: ServicesDep,
    actor: ActorDep,
) -> TicketOut:
    leg = services.queue.transfer(
        hall,
        window,
        ticket_id,
        to_service=body.service,
        to_window=body.window,
        note=body.note,
        actor=actor,
    )
    return TicketOut.of(leg)


@router.post(TICKET + "/finish", response_model=TicketOut)
async def finish_ticket(
    hall: str,
    window: WindowNo,
    ticket_id: str,
    body: FinishIn,
    services: ServicesDep,
    actor: ActorDep,
) -> Response:
    job = services.queue.finish_job(hall, window, ticket_id, body.case_type, body.deadline, actor)
    finished = await services.hall_writer.run(hall, job)
    return ticket_json(finished)


@router.post("/pause", response_model=WindowStateOut)
def pause_window(
    hall: str, window: WindowNo, body: PauseIn, services: ServicesDep, actor: ActorDep
) -> WindowStateOut:
    services.queue.pause(hall, window, body.reason, body.note, actor)
    return WindowStateOut(window=window, paused=True)


@router.post("/resume", response_model=WindowStateOut)
def resume_window(
    hall: str, window: WindowNo, services: ServicesDep, actor: ActorDep
) -> WindowStateOut:
    services.queue.resume(hall, window, actor)
    return WindowStateOut(window=window, paused=False)
