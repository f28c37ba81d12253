"""A hall with one of every kind of principal, for the access tests.

Window 1 has a clerk signed in and a ticket called there; window 2 has another clerk; a
second hall ("other") has its own duty lead and kiosk, who must be refused in "test".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from queue_server.domain.clock import ManualClock
from queue_server.services.attendance import AttendanceService
from queue_server.services.tickets import IssueRequest
from tests.support.auth import clerk_at, device_token, staff_login
from tests.support.factories import make_services, small_hall
from tests.support.live_server import LiveServer, live_server


@dataclass(frozen=True)
class Who:
    """One kind of caller: a staff role (with the window it is signed in to) or a device."""

    name: str
    hall: str = "test"
    role: Role | None = None
    window: int | None = None
    device: DeviceKind | None = None
    device_name: str | None = None
    user_id: str | None = None
    device_token: str | None = None


@dataclass
class Hall:
    services: Services
    server: LiveServer
    ticket_id: str
    follow_up_id: str = "none"
    people: dict[str, Who] = field(default_factory=dict)

    def restore(self) -> None:
        """Put the clerks back at their windows (a route of the matrix may sign one out)."""
        attendance = AttendanceService(self.services.db, self.services.halls, self.services.clock)
        for who in self.people.values():
            if who.role is Role.CLERK and who.window is not None and who.user_id:
                attendance.sign_in("test", who.window, who.user_id)

    def token(self, who: Who) -> str | None:
        """A fresh login for staff (a route may log it out), the device's own token."""
        if who.user_id is not None:
            return self.services.accounts.open_session(who.user_id).token
        return who.device_token


def _staff(services: Services, name: str, role: Role, hall: str = "test") -> Who:
    login = staff_login(services, role, hall=hall)
    return Who(name, hall=hall, role=role, user_id=login.user_id)


def _device(
    services: Services, name: str, kind: DeviceKind, device: str, window: int | None = None,
    hall: str = "test",
) -> Who:  # fmt: skip
    token = device_token(services, kind, hall=hall, window=window, name=device)
    return Who(name, hall=hall, device=kind, window=window, device_name=device, device_token=token)


@pytest.fixture
def hall(sqlite_url: str, clock: ManualClock) -> Iterator[Hall]:
    services = make_services(sqlite_url, small_hall("test"), small_hall("other"), clock=clock)
    here = clerk_at(services, 1)
    there = clerk_at(services, 2)
    services.queue.issue("test", IssueRequest("SOC"))
    ticket = services.queue.call_next("test", 1)
    assert ticket is not None
    people = [
        Who("clerk at window 1", role=Role.CLERK, window=1, user_id=here.user_id),
        Who("clerk at window 2", role=Role.CLERK, window=2, user_id=there.user_id),
        _staff(services, "clerk signed in nowhere", Role.CLERK),
        _staff(services, "duty lead", Role.DUTY_LEAD),
        _staff(services, "supervisor", Role.SUPERVISOR),
        _staff(services, "admin", Role.ADMIN),
        _staff(services, "duty lead of another hall", Role.DUTY_LEAD, hall="other"),
        _device(services, "kiosk", DeviceKind.KIOSK, "kiosk-1"),
        _device(services, "display of window 1", DeviceKind.DISPLAY, "display-1", 1),
        _device(services, "display of window 2", DeviceKind.DISPLAY, "display-2", 2),
        _device(services, "board", DeviceKind.BOARD, "board-1"),
        _device(services, "kiosk of another hall", DeviceKind.KIOSK, "kiosk-9", hall="other"),
    ]
    with live_server(create_app(services)) as server:
        yield Hall(services, server, ticket.id, people={p.name: p for p in people})
    services.db.engine.dispose()
