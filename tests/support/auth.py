"""Tokens for tests: staff logins and device tokens made through the real services.

Passwords are hashed with cheap argon2 parameters in tests (see `FAST_HASHER`); the login
endpoint still verifies them with argon2, just faster.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from argon2 import PasswordHasher

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from queue_server.services.attendance import AttendanceService
from queue_server.services.device_tokens import DeviceTokens

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery"

_numbers = itertools.count(1)


@dataclass(frozen=True)
class StaffLogin:
    token: str
    user_id: str
    staff_no: str
    name: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def staff_login(
    services: Services,
    role: Role = Role.DUTY_LEAD,
    *,
    hall: str = "test",
    staff_no: str | None = None,
    name: str | None = None,
) -> StaffLogin:
    """A new account of this role and a token for it."""
    staff_no = staff_no or f"{role.value[:2].upper()}{next(_numbers):04d}"
    user = services.accounts.create_user(
        hall, staff_no, name or f"{role.value} {staff_no}", role, PASSWORD
    )
    login = services.accounts.open_session(user.id)
    return StaffLogin(login.token, user.id, user.staff_no, user.name)


def clerk_at(services: Services, window: int, *, hall: str = "test", **kw: str) -> StaffLogin:
    """A clerk signed in to `window` (this appends a clerk.signed_in event)."""
    login = staff_login(services, Role.CLERK, hall=hall, **kw)
    AttendanceService(services.db, services.halls, services.clock).sign_in(
        hall, window, login.user_id
    )
    return login


def device_token(
    services: Services,
    kind: DeviceKind = DeviceKind.KIOSK,
    *,
    hall: str = "test",
    window: int | None = None,
    name: str | None = None,
) -> str:
    issued = DeviceTokens(services.db, services.clock).add(hall, kind, window, name)
    return issued.token


def duty_lead_headers(services: Services, hall: str = "test") -> dict[str, str]:
    """For tests about something else that need to call and move tickets at any window and
    take numbers: the duty lead may do both, hall-wide."""
    return staff_login(services, Role.DUTY_LEAD, hall=hall).headers
