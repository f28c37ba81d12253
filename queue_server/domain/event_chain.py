"""The tamper-evident chain over a hall's event log.

Each event's hash covers its own content and the previous event's hash, so editing or
deleting one row breaks every hash after it; `first_broken` names the first such row.

From the hall's key epoch on (`keyed_from`, a sequence number), a hash is an HMAC keyed with a
secret kept outside the database (the chain key file): a database administrator who edits a
row can no longer recompute the hashes after it. Events written before a hall's first keyed
write (databases older than the key) keep their plain SHA-256 hashes; the first keyed hash
covers the last plain one, so they cannot be rewritten either without breaking it. The epoch
itself is sealed with the key (`epoch_seal`), so it cannot be moved to the end of the log to
pass a rewritten log off as an old unkeyed one. docs/reliability.md has the threat model.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainedEvent:
    hall: str
    seq: int
    kind: str
    at: datetime
    ticket_id: str | None
    window: int | None
    clerk: str | None
    device: str | None
    payload: Mapping[str, Any]


def canonical_at(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("event times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(prev_hash: str, event: ChainedEvent, key: bytes | None = None) -> str:
    """Plain SHA-256 without a key (before a hall's key epoch), HMAC-SHA256 with one."""
    body = json.dumps(
        {
            "hall": event.hall,
            "seq": event.seq,
            "kind": event.kind,
            "at": canonical_at(event.at),
            "ticket": event.ticket_id,
            "window": event.window,
            "clerk": event.clerk,
            "device": event.device,
            "payload": event.payload,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    data = (prev_hash + body).encode()
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.digest(key, data, "sha256").hex()


def epoch_seal(key: bytes, hall: str, keyed_from: int) -> str:
    """Binds a hall's key epoch to the key: only the key holder can say where it starts."""
    return hmac.new(key, f"hallq-chain-epoch:{hall}:{keyed_from}".encode(), "sha256").hexdigest()


def seal_matches(key: bytes, hall: str, keyed_from: int, seal: str | None) -> bool:
    return seal is not None and hmac.compare_digest(epoch_seal(key, hall, keyed_from), seal)


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def first_broken(
    rows: Iterable[tuple[ChainedEvent, str, str]],
    *,
    key: bytes | None = None,
    keyed_from: int | None = None,
) -> ChainBreak | None:
    """Check (event, prev_hash, hash) rows in sequence order; None when the chain is intact.

    Rows from `keyed_from` on are checked against `key`; without the key only their links
    (each previous-hash equals the hash before it) can be checked, not their content."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for event, prev_hash, stored_hash in rows:
        if event.seq != expected_seq:
            return ChainBreak(
                expected_seq, f"event {expected_seq} is missing (next stored is {event.seq})"
            )
        if prev_hash != expected_prev:
            return ChainBreak(event.seq, "its previous-hash does not match the event before it")
        keyed = keyed_from is not None and event.seq >= keyed_from
        if keyed and key is None:
            pass  # content unverifiable without the key; the links still are
        elif event_hash(prev_hash, event, key if keyed else None) != stored_hash:
            return ChainBreak(event.seq, "its content does not match its hash (edited)")
        expected_prev = stored_hash
        expected_seq += 1
    return None
