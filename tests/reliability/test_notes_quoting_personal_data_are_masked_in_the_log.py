"""A clerk's free-text note that quotes a phone or ID number (hold, transfer) enters the event
log masked (a pause note does not enter it at all; the public stream carries no note); ids and
hashes that merely contain digits are left alone. Found by the privacy scan of this suite
(docs/reliability.md)."""

from __future__ import annotations

import json

from websockets.sync.client import connect

from queue_server.api.deps import Services
from queue_server.domain.free_text import mask_personal_data
from tests.support.api import Api
from tests.support.invariants import read_log
from tests.support.live_server import LiveServer
from tests.support.privacy_scan import scan

NOTE = "访客电话13812345678，身份证110101199003074578"


def test_notes_quoting_personal_data_are_masked_in_the_log(
    server: LiveServer, services: Services, api: Api
) -> None:
    ticket = api.ticket("SOC")
    assert api.call_next(1).status_code == 200
    assert api.act(1, ticket["id"], "start").status_code == 200
    assert api.act(1, ticket["id"], "hold", {"note": NOTE}).status_code == 200
    assert api.act(1, ticket["id"], "return").status_code == 200
    moved = api.act(1, ticket["id"], "transfer", {"service": "TAX", "note": NOTE})
    assert moved.status_code == 201, moved.text
    assert api.window(2, "pause", {"reason": "other", "note": NOTE}).status_code == 200

    with services.db.read() as session:
        log = read_log(session, "test")
    notes = [e.payload["note"] for e in log if "note" in e.payload]
    assert len(notes) == 2
    assert [e.payload for e in log if e.kind == "window.paused"] == [{"reason": "other"}]
    assert set(notes) == {"访客电话138****5678，身份证1101**********4578"}
    frames: list[str] = []
    with connect(f"{server.ws_url}/api/v1/halls/test/events?since=0") as ws:
        while len(frames) < len(log):
            frame = str(ws.recv(timeout=10))
            if json.loads(frame)["type"] == "event":
                frames.append(frame)
    assert [json.loads(f)["seq"] for f in frames] == [e.seq for e in log]
    assert scan({"stream": "\n".join(frames)}) == {}


def test_digits_inside_ids_are_not_taken_for_personal_data() -> None:
    ticket_id = "a13812345678b110101199003074578c"
    assert mask_personal_data(ticket_id) == ticket_id
    assert mask_personal_data("A1381234567890") == "A1381234567890"
