"""The key of the ID-number hash: outside the database, so a stolen database alone cannot
turn hashes back into ID numbers by trying every plausible number."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

DEFAULT_KEY_FILE = Path("var/hallq-id.key")


def load_or_create_key(path: Path) -> bytes:
    """The key in `path`; a new random one is written there (mode 0600) when it is missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32) + "\n")
    key = path.read_text("ascii").strip()
    if len(key) < 32:
        raise ValueError(f"the key in {path} is too short (at least 32 characters)")
    return key.encode("ascii")


def existing_key(path: Path) -> bytes | None:
    """The key in `path` for checking what it keyed; never created here (a new key would make
    every keyed hash look edited)."""
    return load_or_create_key(path) if path.exists() else None


def id_hash(key: bytes, id_number: str) -> str:
    """HMAC-SHA256 of the normalized ID number, hex."""
    return hmac.new(key, id_number.encode("ascii"), hashlib.sha256).hexdigest()


def sms_code(key: bytes, booking_id: str) -> str:
    """The six-digit code of a booking's SMS check: a keyed hash of the booking id, so it is
    never stored (the database alone cannot tell it) and the webhook sender and the check
    derive the same one."""
    digest = hmac.new(key, f"sms-check:{booking_id}".encode("ascii"), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"
