"""Signed checkpoints of a hall's event chain: the chain head at a fixed point (end of a day,
an assessment closed, a bulletin), written to a file outside the database and signed with
Ed25519, so the log behind it cannot be rewritten by someone who controls the database, or
even holds the chain key, without the copies already given out disagreeing.

A checkpoint file is JSON: the checkpoint's fields, the signer's public key and the signature
over the canonical form of the fields. It is checked against a public key the checker trusts
(never only the one inside the file).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

FORMAT = "hallq-chain-checkpoint/1"


class CheckpointError(ValueError):
    """The file is not a checkpoint, or its signature does not hold."""


@dataclass(frozen=True)
class Checkpoint:
    hall: str
    seq: int
    hash: str
    keyed_from: int | None
    at: datetime
    reason: str  # "day", "assessment", "bulletin", "manual"

    def canonical(self) -> bytes:
        fields = {**asdict(self), "at": self.at.isoformat(), "format": FORMAT}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def public_key_hex(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def public_key_from_hex(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text.strip()))
    except ValueError as exc:
        raise CheckpointError(f"not an Ed25519 public key: {exc}") from exc


def signed(checkpoint: Checkpoint, key: Ed25519PrivateKey) -> str:
    """The checkpoint file's text."""
    body = {
        "format": FORMAT,
        "checkpoint": json.loads(checkpoint.canonical()),
        "public_key": public_key_hex(key.public_key()),
        "signature": key.sign(checkpoint.canonical()).hex(),
    }
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def read_signed(text: str, trusted: Ed25519PublicKey) -> Checkpoint:
    """The checkpoint in a file's text, once its signature by `trusted` holds."""
    try:
        body = json.loads(text)
        fields = body["checkpoint"]
        checkpoint = Checkpoint(
            hall=str(fields["hall"]),
            seq=int(fields["seq"]),
            hash=str(fields["hash"]),
            keyed_from=None if fields["keyed_from"] is None else int(fields["keyed_from"]),
            at=datetime.fromisoformat(fields["at"]),
            reason=str(fields["reason"]),
        )
        signature = bytes.fromhex(body["signature"])
        if body.get("format") != FORMAT or fields.get("format") != FORMAT:
            raise CheckpointError(f"not a {FORMAT} file")
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, CheckpointError):
            raise
        raise CheckpointError(f"not a checkpoint file: {exc}") from exc
    try:
        trusted.verify(signature, checkpoint.canonical())
    except InvalidSignature as exc:
        raise CheckpointError("the signature does not hold for the trusted public key") from exc
    return checkpoint
