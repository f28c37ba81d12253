"""The tamper-evident chain over a hall's event log.

Each event's hash covers its own content and the previous event's hash, so editing or
deleting one row breaks every hash after it; `first_broken` names the first such row.
"""

from __future__ import annotations

import hashlib
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


def event_hash(prev_hash: str, event: ChainedEvent) -> str:
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
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def first_broken(rows: Iterable[tuple[ChainedEvent, str, str]]) -> ChainBreak | None:
    """Check (event, prev_hash, hash) rows in sequence order; None when the chain is intact."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for event, prev_hash, stored_hash in rows:
        if event.seq != expected_seq:
            return ChainBreak(
                expected_seq, f"event {expected_seq} is missing (next stored is {event.seq})"
            )
        if prev_hash != expected_prev:
            return ChainBreak(event.seq, "its previous-hash does not match the event before it")
        if event_hash(prev_hash, event) != stored_hash:
            return ChainBreak(event.seq, "its content does not match its hash (edited)")
        expected_prev = stored_hash
        expected_seq += 1
    return None
