"""Taking a number and looking a ticket up.

The routes of the hot path (here and in windows.py) are async and hand only the service call
to another thread (the hall's writer, or a worker for a read): a sync route also hops to a
worker for each sync dependency and again to check its answer against the response model,
and those hops cost a ticket more than its checks.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from starlette.concurrency import run_in_threadpool

from queue_server.api.access import ActorDep
from queue_server.api.deps import ServicesDep
from queue_server.api.schemas import IssueIn, TicketOut, ticket_json
from queue_server.domain.tickets import Priority
from queue_server.services.tickets import IssueRequest

router = APIRouter(prefix="/api/v1", tags=["tickets"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        description="repeat a request with the same key to get the same ticket (double taps)",
    ),
]


@router.post("/halls/{hall}/tickets", status_code=201, response_model=TicketOut)
async def issue_ticket(
    hall: str,
    body: IssueIn,
    services: ServicesDep,
    actor: ActorDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    request = IssueRequest(
        service=body.service, priority=Priority(body.priority), idempotency_key=idempotency_key
    )
    # The hall's writer commits the requests that arrive together at once (hall_writer.py).
    job = services.queue.issue_job(hall, request, actor)
    issued = await services.hall_writer.run(hall, job)
    replayed = {"Idempotent-Replayed": "true"} if issued.replayed else None
    return ticket_json(issued.ticket, status_code=201, headers=replayed)


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
async def get_ticket(ticket_id: str, services: ServicesDep) -> TicketOut:
    return TicketOut.of(await run_in_threadpool(services.queue.get_ticket, ticket_id))
