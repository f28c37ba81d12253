"""Kiosks and other devices: call for help, report health (printer paper, offline...)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, Field

from queue_server.api.deps import ServicesDep
from queue_server.api.schemas import Request
from queue_server.domain.devices import PrinterState
from queue_server.services.devices import DeviceService, HelpRequest, Recorded, StatusReport

router = APIRouter(prefix="/api/v1", tags=["devices"])

DeviceId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", description="e.g. kiosk-1")
]
Short = Annotated[str, Field(min_length=1, max_length=64)]
Detail = Annotated[str, Field(max_length=300)]


async def get_devices(services: ServicesDep) -> DeviceService:
    return services.devices


DevicesDep = Annotated[DeviceService, Depends(get_devices)]


class HelpIn(Request):
    request_id: Short | None = Field(None, description="same id on retries: recorded once")
    screen: Short | None = None
    lang: Literal["zh", "en"] | None = None
    ticket: Annotated[str, Field(min_length=1, max_length=32)] | None = None


class PrinterIn(Request):
    state: PrinterState
    detail: Detail = ""


class OfflineJournalIn(Request):
    pending: int = Field(
        ge=0, le=100_000, description="tickets issued offline not reconciled, refused ones aside"
    )
    refused: int = Field(
        0, ge=0, le=100_000, description="today's entries the server refused (absent: 0)"
    )
    since: datetime | None = Field(
        None, description="when the kiosk lost the server (None: it is not cut off)"
    )


class DeviceStatusIn(Request):
    kind: Literal["kiosk", "display", "board", "window", "printer"] = "kiosk"
    printer: PrinterIn | None = None
    fault: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    ticket: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    offline: OfflineJournalIn | None = Field(
        None, description="a kiosk's offline journal: sent when it gets the server back"
    )


class RecordedOut(BaseModel):
    recorded: bool = Field(description="false: nothing new, no event was appended")
    seq: int | None
    at: datetime | None

    @classmethod
    def of(cls, result: Recorded) -> RecordedOut:
        return cls(recorded=result.recorded, seq=result.seq, at=result.at)


@router.post("/halls/{hall}/devices/{device}/help", response_model=RecordedOut, status_code=201)
def request_help(
    hall: str, device: DeviceId, body: HelpIn, devices: DevicesDep, response: Response
) -> RecordedOut:
    result = devices.request_help(
        hall,
        device,
        HelpRequest(
            request_id=body.request_id, screen=body.screen, lang=body.lang, ticket=body.ticket
        ),
    )
    if not result.recorded:
        response.status_code = 200
    return RecordedOut.of(result)


@router.post("/halls/{hall}/devices/{device}/status", response_model=RecordedOut)
def report_status(
    hall: str, device: DeviceId, body: DeviceStatusIn, devices: DevicesDep
) -> RecordedOut:
    printer = body.printer
    result = devices.report_status(
        hall,
        device,
        StatusReport(
            kind=body.kind,
            printer=printer.state if printer else None,
            printer_detail=printer.detail if printer else "",
            fault=body.fault,
            ticket=body.ticket,
            offline_pending=body.offline.pending if body.offline else None,
            offline_refused=body.offline.refused if body.offline else 0,
            offline_since=body.offline.since if body.offline else None,
        ),
    )
    return RecordedOut.of(result)
