"""Anchoring the event chain outside the database: signed checkpoint files of each hall's chain
head (queue_server.domain.checkpoint) and checking a database against them."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from queue_server.domain.checkpoint import (
    Checkpoint,
    CheckpointError,
    public_key_from_hex,
    signed,
)
from queue_server.domain.clock import Clock
from queue_server.domain.event_chain import ChainBreak
from queue_server.services.database import Database
from queue_server.services.errors import NotFound
from queue_server.storage.tables import Event, Hall


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """The Ed25519 key in `path` (PEM); a new one is written there (mode 0600) when missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(f"{path} does not hold an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """A trusted public key: a file with its hex (`hallq audit public-key`) or the private key."""
    data = path.read_bytes()
    if data.lstrip().startswith(b"-----BEGIN PRIVATE KEY"):
        return load_or_create_signing_key(path).public_key()
    return public_key_from_hex(data.decode("ascii", errors="replace"))


def take_checkpoint(session: Session, clock: Clock, hall_id: str, reason: str) -> Checkpoint:
    hall = session.get(Hall, hall_id)
    if hall is None:
        raise NotFound(f"unknown hall {hall_id!r}")
    return Checkpoint(
        hall=hall.id,
        seq=hall.last_seq,
        hash=hall.last_hash,
        keyed_from=hall.chain_keyed_from,
        at=clock.now(),
        reason=reason,
    )


def write_checkpoint(directory: Path, checkpoint: Checkpoint, key: Ed25519PrivateKey) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{checkpoint.hall}-{checkpoint.seq:09d}-{checkpoint.reason}.json"
    path.write_text(signed(checkpoint, key), encoding="utf-8")
    return path


def check_against(session: Session, checkpoint: Checkpoint) -> ChainBreak | None:
    """Whether the database still holds the chain the checkpoint saw; None when it does."""
    hall = session.get(Hall, checkpoint.hall)
    if hall is None:
        return ChainBreak(1, f"hall {checkpoint.hall} is gone")
    if hall.last_seq < checkpoint.seq:
        return ChainBreak(
            hall.last_seq + 1,
            f"the log ends at event {hall.last_seq}; the checkpoint saw {checkpoint.seq}",
        )
    if hall.chain_keyed_from != checkpoint.keyed_from and checkpoint.keyed_from is not None:
        return ChainBreak(
            checkpoint.keyed_from,
            f"the key epoch moved: keyed from {hall.chain_keyed_from}, "
            f"the checkpoint saw {checkpoint.keyed_from}",
        )
    if checkpoint.seq == 0:
        return None
    stored = session.scalar(
        select(Event.hash).where(Event.hall_id == checkpoint.hall, Event.seq == checkpoint.seq)
    )
    if stored is None:
        return ChainBreak(checkpoint.seq, "the event the checkpoint ends at is missing")
    if stored != checkpoint.hash:
        return ChainBreak(
            checkpoint.seq,
            "its hash differs from the signed checkpoint: the log up to it was rewritten",
        )
    return None


def anchor_now(
    db: Database,
    clock: Clock,
    hall_id: str,
    reason: str,
    directory: Path,
    key: Ed25519PrivateKey,
) -> tuple[Checkpoint, Path]:
    """Sign the hall's chain head as it is now into `directory` (an assessment closed, a
    bulletin made): the file and the head printed with it are the copies a database
    administrator cannot reach."""
    with db.read() as session:
        checkpoint = take_checkpoint(session, clock, hall_id, reason)
    return checkpoint, write_checkpoint(directory, checkpoint, key)
