"""Halls, their services with the five publics, and the live snapshot."""

from __future__ import annotations

from fastapi import APIRouter

from queue_server.api.deps import ServicesDep
from queue_server.api.schemas import HallOut, PublicsOut, ServiceOut, SnapshotOut, TextOut
from queue_server.config.models import Text
from queue_server.services.snapshot import take_snapshot

router = APIRouter(prefix="/api/v1", tags=["halls"])


def _text(value: Text) -> TextOut:
    return TextOut(zh=value.zh, en=value.en)


@router.get("/halls", response_model=list[HallOut])
def list_halls(services: ServicesDep) -> list[HallOut]:
    now = services.clock.now()
    result = []
    for hall in services.halls.all():
        status = hall.calendar.status(now)
        result.append(
            HallOut(
                id=hall.id,
                name=_text(hall.config.hall.name),
                timezone=hall.config.hall.timezone,
                open_now=status.is_open,
                state=status.state.value,
                next_opening=status.next_opening,
            )
        )
    return result


@router.get("/halls/{hall}/services", response_model=list[ServiceOut])
def list_services(hall: str, services: ServicesDep) -> list[ServiceOut]:
    context = services.halls.get(hall)
    snapshot = take_snapshot(services.db, services.halls, services.clock, hall)
    queues = {q.code: q for q in snapshot.queues}
    result = []
    for service in context.config.services:
        publics = service.publics
        result.append(
            ServiceOut(
                code=service.code,
                name=_text(service.name),
                category=_text(service.category) if service.category else None,
                prefix=service.prefix,
                publics=PublicsOut(
                    content=_text(publics.content),
                    procedure=[_text(t) for t in publics.procedure],
                    materials=[_text(t) for t in publics.materials],
                    time_limit_days=publics.time_limit_days,
                    fee=_text(publics.fee),
                    fee_basis=_text(publics.fee_basis) if publics.fee_basis else None,
                ),
                daily_cap=service.daily_cap,
                green_channel=service.green_channel,
                waiting=queues[service.code].waiting,
                issuing_stopped=queues[service.code].issuing_stopped,
                windows=sorted(w.number for w in snapshot.windows if service.code in w.services),
                bookable=service.slot_capacity is not None,
            )
        )
    return result


@router.get("/halls/{hall}/snapshot", response_model=SnapshotOut)
def get_snapshot(hall: str, services: ServicesDep) -> SnapshotOut:
    return SnapshotOut.of(take_snapshot(services.db, services.halls, services.clock, hall))
