"""Security review, finding 1 (docs/reliability.md): a clerk's pause note
("回访王先生 电话13812345678") was published in full in the public snapshot and the stream's first
message. Public surfaces now carry the pause reason code only; the note, masked, is for staff (the
floor monitor, the window's day)."""

from __future__ import annotations

import json

import httpx
from websockets.sync.client import connect

from queue_server.api.deps import Services
from tests.support.api import Api
from tests.support.auth import staff_login
from tests.support.live_server import LiveServer

NOTE = "回访王先生 电话13812345678"


def test_a_pause_note_stays_off_public_surfaces(
    server: LiveServer, services: Services, api: Api
) -> None:
    paused = api.window(1, "pause", {"reason": "other", "note": NOTE})
    assert paused.status_code == 200, paused.text

    public = httpx.get(f"{server.url}/api/v1/halls/test/snapshot").json()
    window = next(w for w in public["windows"] if w["number"] == 1)
    assert window["paused"] is True and window["pause_reason"] == "other"
    assert "pause_note" not in window
    assert "王先生" not in json.dumps(public, ensure_ascii=False)

    frames: list[str] = []
    with connect(f"{server.ws_url}/api/v1/halls/test/events?since=0") as ws:
        while True:
            frame = str(ws.recv(timeout=10))
            frames.append(frame)
            message = json.loads(frame)
            if message.get("type") == "event" and message.get("kind") == "window.paused":
                break
    stream = "\n".join(frames)
    assert "王先生" not in stream and "5678" not in stream.replace("138****5678", "")
    assert '"other"' in stream

    lead = staff_login(services)
    floor = httpx.get(f"{server.url}/api/v1/halls/test/floor", headers=lead.headers)
    assert floor.status_code == 200, floor.text
    row = next(w for w in floor.json()["windows"] if w["number"] == 1)
    assert row["pause_note"] == "回访王先生 电话138****5678"
    today = api.http.get("/api/v1/halls/test/windows/1/today")
    assert today.json()["pause_note"] == "回访王先生 电话138****5678"
