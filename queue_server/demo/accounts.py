"""Demo accounts and device tokens for `hallq demo`: known passwords, tokens kept in files.

Only for the demo hall on its own SQLite file: the passwords are printed on the terminal.
Device tokens are stored as digests, so only the files the printed commands read hold them
(keeping them off command lines). A restart of the same demo database keeps a device's token
while its file still holds the live one, so a kiosk or display left running carries on; a
missing file, or a file from another database, gets a new token.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from queue_server.domain.access import DeviceKind, Role
from queue_server.services.accounts import AccountService
from queue_server.services.device_tokens import DeviceTokens
from queue_server.services.errors import NotFound


@dataclass(frozen=True)
class DemoUser:
    staff_no: str
    name: str
    role: Role
    password: str


@dataclass(frozen=True)
class DemoDevice:
    name: str
    kind: DeviceKind
    window: int | None
    token_file: Path


DEMO_USERS = (
    DemoUser("1001", "王芳", Role.CLERK, "demo-pass-1"),
    DemoUser("1002", "李强", Role.CLERK, "demo-pass-2"),
    DemoUser("1003", "张伟", Role.CLERK, "demo-pass-3"),
    DemoUser("2001", "赵敏", Role.DUTY_LEAD, "demo-lead-1"),
    DemoUser("3001", "孙丽", Role.SUPERVISOR, "demo-check-1"),
    DemoUser("9001", "周平", Role.ADMIN, "demo-admin-1"),
)
DEMO_DEVICES = (
    ("kiosk-1", DeviceKind.KIOSK, None),
    ("display-1", DeviceKind.DISPLAY, 1),
    ("display-2", DeviceKind.DISPLAY, 2),
    ("board-1", DeviceKind.BOARD, None),
)


def seed_demo_accounts(
    accounts: AccountService, devices: DeviceTokens, hall: str, token_dir: Path
) -> tuple[list[DemoUser], list[DemoDevice]]:
    for user in DEMO_USERS:
        try:
            accounts.user(user.staff_no)  # kept from an earlier run, with its demo password
        except NotFound:
            accounts.create_user(hall, user.staff_no, user.name, user.role, user.password)
    token_dir.mkdir(parents=True, exist_ok=True)
    seeded = []
    for name, kind, window in DEMO_DEVICES:
        path = token_dir / f"{name}.token"
        if not _kept(devices, hall, name, path):
            devices.revoke_if_present(hall, name)
            issued = devices.add(hall, kind, window, name)
            path.touch(mode=0o600)
            path.write_text(issued.token + "\n", encoding="utf-8")
        seeded.append(DemoDevice(name, kind, window, path))
    return list(DEMO_USERS), seeded


def _kept(devices: DeviceTokens, hall: str, name: str, path: Path) -> bool:
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return False
    return bool(token) and devices.holds(hall, name, token)
