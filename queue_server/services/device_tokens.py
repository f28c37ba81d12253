"""Device tokens: kiosks, window displays (bound to one window) and hall boards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.domain.access import DeviceKind
from queue_server.domain.clock import Clock
from queue_server.domain.errors import RuleViolation
from queue_server.services.database import Database
from queue_server.services.errors import Conflict, NotFound
from queue_server.services.tokens import DEVICE_PREFIX, new_token, token_digest
from queue_server.storage.tables import Device, Hall, Window

# The same names the device routes accept in their paths (kiosk-1, display-3 ...).
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class DeviceView:
    hall: str
    name: str
    kind: DeviceKind
    window: int | None
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def of(cls, row: Device) -> DeviceView:
        return cls(
            row.hall_id, row.name, DeviceKind(row.kind), row.window_no, row.created_at,
            row.revoked_at,
        )  # fmt: skip


@dataclass(frozen=True)
class IssuedDevice:
    device: DeviceView
    token: str  # shown once


class DeviceTokens:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def add(
        self, hall: str, kind: DeviceKind, window: int | None = None, name: str | None = None
    ) -> IssuedDevice:
        """A new device, or a new token for a revoked one of the same name."""
        if kind is DeviceKind.DISPLAY and window is None:
            raise RuleViolation("a window display is bound to one window: give --window")
        if kind is not DeviceKind.DISPLAY and window is not None:
            raise RuleViolation(f"a {kind.value} is not bound to a window")
        if name is None and window is not None:
            name = f"{kind.value}-{window}"
        now = self.clock.now()
        token = new_token(DEVICE_PREFIX)
        with self.db.write() as work:
            session = work.session
            if session.get(Hall, hall) is None:
                raise NotFound(f"unknown hall {hall!r}; start the server with its configuration")
            if window is not None and session.get(Window, (hall, window)) is None:
                raise NotFound(f"hall {hall} has no window {window}")
            name = name or _free_name(session, hall, kind)
            if not NAME.match(name):
                raise RuleViolation(
                    f"device name {name!r}: letters, digits, '.', '-' and '_' (at most 64)"
                )
            row = session.get(Device, (hall, name))
            if row is not None and row.revoked_at is None:
                raise Conflict(
                    f"device {name!r} already has a token; revoke it first to issue a new one"
                )
            if row is None:
                row = Device(hall_id=hall, name=name)
                session.add(row)
            row.kind = kind.value
            row.window_no = window
            row.token_hash = token_digest(token)
            row.created_at = now
            row.revoked_at = None
            session.flush()
            return IssuedDevice(DeviceView.of(row), token)

    def list(self, hall: str | None = None) -> list[DeviceView]:
        with self.db.read() as session:
            query = select(Device).order_by(Device.hall_id, Device.name)
            if hall is not None:
                query = query.where(Device.hall_id == hall)
            return [DeviceView.of(r) for r in session.scalars(query)]

    def revoke(self, hall: str, name: str) -> DeviceView:
        with self.db.write() as work:
            row = work.session.get(Device, (hall, name))
            if row is None:
                raise NotFound(f"no device {name!r} in hall {hall}")
            if row.revoked_at is None:
                row.revoked_at = self.clock.now()
            return DeviceView.of(row)

    def holds(self, hall: str, name: str, token: str) -> bool:
        """Whether `token` is the live token of device `name` (not revoked, not replaced)."""
        with self.db.read() as session:
            row = session.get(Device, (hall, name))
            return (
                row is not None and row.revoked_at is None and row.token_hash == token_digest(token)
            )

    def revoke_if_present(self, hall: str, name: str) -> None:
        with self.db.write() as work:
            row = work.session.get(Device, (hall, name))
            if row is not None and row.revoked_at is None:
                row.revoked_at = self.clock.now()


def _free_name(session: Session, hall: str, kind: DeviceKind) -> str:
    taken = set(session.scalars(select(Device.name).where(Device.hall_id == hall)))
    number = 1
    while f"{kind.value}-{number}" in taken:
        number += 1
    return f"{kind.value}-{number}"
