"""Kiosks' leased number blocks and the upload of what they issued while cut off."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from pydantic import AwareDatetime, BaseModel, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from queue_server.api.access import ActorDep, PrincipalDep
from queue_server.api.deps import ServicesDep
from queue_server.api.schemas import Request, view_out
from queue_server.domain.access import Device, Staff
from queue_server.domain.leases import ABANDON_REASONS
from queue_server.domain.tickets import Priority
from queue_server.services.leases import AbandonResult, EntryResult, JournalEntry, LeaseView

router = APIRouter(prefix="/api/v1", tags=["devices"])

DeviceId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="e.g. kiosk-1")
]
Key = Annotated[str, Field(min_length=8, max_length=80, pattern=r"^[A-Za-z0-9_.:-]+$")]
LeaseId = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[0-9a-f]+$")]
MAX_ENTRIES = 200  # one upload; a longer journal goes in several (64 KiB body limit)


class LeaseIn(Request):
    service: Annotated[str, Field(min_length=1, max_length=32)]
    request_id: Key = Field(description="same id on retries: the same block comes back")


# services/leases.py LeaseView as it is: its fields, no copy to keep in step.
@pydantic_dataclass(frozen=True)
class LeaseOut(LeaseView):
    pass


class EntryIn(Request):
    key: Key
    lease: LeaseId
    seq_no: Annotated[int, Field(ge=1, le=99999)]
    priority: Priority = Priority.NORMAL
    issued_at: AwareDatetime


class JournalIn(Request):
    entries: Annotated[list[EntryIn], Field(min_length=1, max_length=MAX_ENTRIES)]


class EntryOut(BaseModel):
    key: str
    number: str | None = Field(description="None only for an entry refused before its lease")
    ticket_id: str | None = Field(description="None: the entry was refused")
    replayed: bool
    clamped: bool
    refused: str | None = Field(
        default=None,
        description="why the entry was not taken (unknown_lease, outside_lease, "
        "journal_key_reused, number_taken, appointment_offline, duplicate_key); the others "
        "in the same upload are taken all the same",
    )
    reason: str | None = None

    @classmethod
    def of(cls, result: EntryResult) -> EntryOut:
        return cls(**result.__dict__)


class JournalOut(BaseModel):
    entries: list[EntryOut]


class AbandonIn(Request):
    idempotency_key: Annotated[str, Field(min_length=1, max_length=128)]
    reason: Annotated[
        str,
        Field(
            pattern=f"^({'|'.join(ABANDON_REASONS)})$",
            description=f"why: one of {', '.join(ABANDON_REASONS)}",
        ),
    ]


class AbandonOut(BaseModel):
    idempotency_key: str
    outcome: Literal["cancelled", "already_cancelled", "too_late", "not_issued"]
    ticket_id: str | None
    number: str | None
    state: str | None

    @classmethod
    def of(cls, result: AbandonResult) -> AbandonOut:
        return cls(**result.__dict__)


@router.post("/halls/{hall}/devices/{device}/leases", response_model=LeaseOut, status_code=201)
def take_number_lease(
    hall: str, device: DeviceId, body: LeaseIn, services: ServicesDep, actor: ActorDep
) -> LeaseOut:
    lease = services.leases.take(hall, device, body.service, body.request_id, actor)
    return view_out(LeaseOut, lease)


@router.post("/halls/{hall}/devices/{device}/leases/{lease_id}/release", response_model=LeaseOut)
def release_number_lease(
    hall: str, device: DeviceId, lease_id: str, services: ServicesDep, actor: ActorDep
) -> LeaseOut:
    return view_out(LeaseOut, services.leases.release(hall, device, lease_id, actor))


@router.post("/halls/{hall}/devices/{device}/abandoned", response_model=AbandonOut)
def abandon_unanswered_ticket(
    hall: str, device: DeviceId, body: AbandonIn, services: ServicesDep, actor: ActorDep
) -> AbandonOut:
    """The kiosk gives up a ticket it asked for and never heard back about (the visitor was
    served offline): cancelled if still waiting, so it is never called; safe to repeat."""
    return AbandonOut.of(
        services.leases.abandon(hall, device, body.idempotency_key, body.reason, actor)
    )


@router.post("/halls/{hall}/devices/{device}/journal", response_model=JournalOut)
def upload_offline_journal(
    hall: str,
    device: DeviceId,
    body: JournalIn,
    services: ServicesDep,
    actor: ActorDep,
    principal: PrincipalDep,
) -> JournalOut:
    """Tickets the kiosk issued from its leases while cut off; safe to repeat."""
    entries = [
        JournalEntry(e.key, e.lease, e.seq_no, e.priority, e.issued_at) for e in body.entries
    ]
    by = "system"
    if isinstance(principal, Device):
        by = principal.name
    elif isinstance(principal, Staff):
        by = f"staff:{principal.staff_no}"
    results = services.leases.reconcile(hall, device, entries, actor, uploaded_by=by)
    return JournalOut(entries=[EntryOut.of(r) for r in results])
