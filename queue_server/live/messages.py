"""What travels on the event stream, as JSON text.

    {"type": "event", "seq", "kind", "at", "window", "ticket", "payload", ["announce"], ["replay"]}
    {"type": "snapshot", "seq", ...SnapshotOut}
    {"type": "heartbeat", "seq", "at"}
    {"type": "error", "error", "message"}

Calls and recalls carry their spoken form ("announce") so that every screen says exactly what
the server's voice module says, in both languages, without a copy of its reading rules.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from queue_server.api.schemas import SnapshotOut
from queue_server.domain.events import EventKind
from queue_server.services.views import Snapshot
from queue_server.storage.tables import Event
from queue_server.voice import announcement_text, announcement_tokens

ANNOUNCED_KINDS = frozenset({EventKind.TICKET_CALLED, EventKind.TICKET_RECALLED})
# The stream is public (hall board): a clerk's lateness is for supervision, not the TV, and
# free text a person typed (a hold, transfer or notice note; a pause note in events written
# before pauses stopped carrying it) never leaves for a public surface, masked or not
# (ARCHITECTURE.md, "What is public").
PRIVATE_PAYLOAD_KEYS = frozenset(
    {"attendance", "minutes_late", "minutes_early", "signed_in_seconds", "note"}
)


def _dumps(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def event_body(row: Event) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "event",
        "seq": row.seq,
        "kind": row.kind,
        "at": row.at.isoformat(),
        "window": row.window_no,
        "ticket": row.ticket_id,
        "payload": {k: v for k, v in row.payload.items() if k not in PRIVATE_PAYLOAD_KEYS},
    }
    announce = announcement(row)
    if announce is not None:
        body["announce"] = announce
    return body


def event_text(row: Event, *, replay: bool = False) -> str:
    body = event_body(row)
    if replay:
        # Replayed events already happened while the client was away: show, do not re-announce.
        body["replay"] = True
    return _dumps(body)


def announcement(row: Event) -> dict[str, Any] | None:
    if row.kind not in ANNOUNCED_KINDS or row.window_no is None:
        return None
    number = str(row.payload.get("number", ""))
    window = str(row.window_no)
    try:
        return {
            "zh": announcement_text(number, window, "zh"),
            "en": announcement_text(number, window, "en"),
            "tokens": {
                "zh": announcement_tokens(number, window, "zh"),
                "en": announcement_tokens(number, window, "en"),
            },
        }
    except ValueError:
        # A number the voice cannot spell is still shown; it is just not spoken.
        return None


def snapshot_text(snapshot: Snapshot) -> str:
    body = {"type": "snapshot", "seq": snapshot.last_seq}
    body.update(SnapshotOut.of(snapshot).model_dump(mode="json"))
    return _dumps(body)


def heartbeat_text(seq: int, at: datetime) -> str:
    return _dumps({"type": "heartbeat", "seq": seq, "at": at.isoformat()})


def error_text(code: str, message: str) -> str:
    return _dumps({"type": "error", "error": code, "message": message})
