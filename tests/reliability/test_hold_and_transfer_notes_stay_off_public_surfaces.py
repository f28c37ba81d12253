"""Notes typed at a window (hold, transfer to the next window) never reach a public surface:
not the anonymous snapshot, not the anonymous event stream (live or replayed), not the public
ticket status. The window that receives the visitor reads the transfer note, masked."""

from __future__ import annotations

import json

import httpx
from websockets.sync.client import connect

from queue_server.api.deps import Services
from tests.support.api import Api
from tests.support.invariants import read_log
from tests.support.live_server import LiveServer

HOLD_NOTE = "等王先生取材料 电话13812345678"
TRANSFER_NOTE = "请回电王先生 +86 138-1234-5678"
TRACES = ("王先生", "13812345678", "1234-5678", "138****5678", "取材料", "请回电")


def leaks(text: str) -> list[str]:
    return [t for t in TRACES if t in text]


def test_hold_and_transfer_notes_stay_off_public_surfaces(
    server: LiveServer, services: Services, api: Api
) -> None:
    ticket = api.ticket("SOC")
    assert api.call_next(1).status_code == 200
    assert api.act(1, ticket["id"], "start").status_code == 200
    assert api.act(1, ticket["id"], "hold", {"note": HOLD_NOTE}).status_code == 200
    assert api.act(1, ticket["id"], "return").status_code == 200
    moved = api.act(1, ticket["id"], "transfer", {"service": "TAX", "note": TRANSFER_NOTE})
    assert moved.status_code == 201, moved.text
    leg = moved.json()
    with services.db.read() as session:
        log = read_log(session, "test")
    assert sum("note" in e.payload for e in log) == 2  # the log keeps them (masked) for audit

    anonymous = httpx.Client(base_url=server.url, timeout=10)
    snapshot = anonymous.get("/api/v1/halls/test/snapshot")
    assert snapshot.status_code == 200
    assert leaks(snapshot.text) == []
    for ticket_id in (ticket["id"], leg["id"]):
        status = anonymous.get(f"/api/v1/tickets/{ticket_id}")
        assert leaks(status.text) == [], status.text
    anonymous.close()

    frames: list[str] = []
    with connect(f"{server.ws_url}/api/v1/halls/test/events?since=0") as ws:
        while sum(json.loads(f)["type"] == "event" for f in frames) < len(log):
            frames.append(str(ws.recv(timeout=10)))
    stream = "\n".join(frames)
    assert "ticket.transferred" in stream and "ticket.held" in stream
    assert leaks(stream) == []
    for frame in frames:
        message = json.loads(frame)
        if message["type"] == "event":
            assert "note" not in message["payload"], message

    # The receiving window calls the visitor and reads the note, masked.
    assert api.call_next(2).status_code == 200
    handover = api.http.get(f"/api/v1/halls/test/windows/2/tickets/{leg['id']}/handover")
    assert handover.status_code == 200, handover.text
    note = handover.json()["note"]
    assert note.startswith("请回电王先生") and "1234-5678" not in note and "5678" in note
