"""Bearer tokens: random, shown once, stored only as a SHA-256 digest.

The prefix says which table to look in: a staff login or a device.
"""

from __future__ import annotations

import hashlib
import secrets

STAFF_PREFIX = "hqs_"
DEVICE_PREFIX = "hqd_"


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
