"""Who works in the hall and which devices may speak to it (read-only; `hallq user|device`
changes them)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from queue_server.api.deps import ServicesDep

router = APIRouter(prefix="/api/v1/halls/{hall}", tags=["administration"])


class StaffOut(BaseModel):
    staff_no: str
    name: str
    role: str
    active: bool


class DeviceOut(BaseModel):
    name: str
    kind: str
    window: int | None
    created_at: datetime
    revoked: bool


@router.get("/staff", response_model=list[StaffOut])
def list_staff(hall: str, services: ServicesDep) -> list[StaffOut]:
    services.halls.get(hall)
    return [
        StaffOut(staff_no=u.staff_no, name=u.name, role=u.role.value, active=u.active)
        for u in services.accounts.list_users(hall)
    ]


@router.get("/devices", response_model=list[DeviceOut])
def list_devices(hall: str, services: ServicesDep) -> list[DeviceOut]:
    services.halls.get(hall)
    return [
        DeviceOut(
            name=d.name,
            kind=d.kind.value,
            window=d.window,
            created_at=d.created_at,
            revoked=d.revoked_at is not None,
        )
        for d in services.device_tokens.list(hall)
    ]
