"""Passwords are kept as argon2 hashes and tokens as SHA-256 digests, never as given."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from queue_server.api.deps import Services
from queue_server.domain.access import DeviceKind, Role
from queue_server.storage.tables import Device, StaffSession, User
from tests.support.auth import PASSWORD, device_token, staff_login


def test_only_digests_are_stored(services: Services) -> None:
    login = staff_login(services, Role.CLERK)
    token = services.accounts.login(login.staff_no, PASSWORD, "127.0.0.1").token
    kiosk = device_token(services, DeviceKind.KIOSK)
    with services.db.read() as session:
        user = session.scalars(select(User).where(User.staff_no == login.staff_no)).one()
        assert user.password_hash is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        digests = set(session.scalars(select(StaffSession.token_hash)))
        assert hashlib.sha256(token.encode()).hexdigest() in digests
        assert token not in digests
        device = session.scalars(select(Device)).one()
        assert device.token_hash == hashlib.sha256(kiosk.encode()).hexdigest()
