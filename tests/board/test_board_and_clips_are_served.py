"""The board page and its assets are served from the package; voice clips from their folder.
Nothing on the page comes from outside the server: the hall may have no internet."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from queue_server.api.routes.board import BOARD_DIR
from tests.support.live_server import LiveServer


def test_board_page_for_a_known_hall_only(live: LiveServer) -> None:
    page = httpx.get(f"{live.url}/board/test")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/board/assets/board.js" in page.text
    assert httpx.get(f"{live.url}/board/nowhere").status_code == 404


def test_assets_are_served_and_nothing_else(live: LiveServer) -> None:
    for name in ("board.js", "stream.js", "voice.js", "labels.js", "board.css"):
        response = httpx.get(f"{live.url}/board/assets/{name}")
        assert response.status_code == 200, name
    assert httpx.get(f"{live.url}/board/assets/index.html").status_code == 404
    assert httpx.get(f"{live.url}/board/assets/..%2Fapp.py").status_code == 404


def test_the_page_loads_nothing_from_outside() -> None:
    for path in BOARD_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"https?://|//cdn|@import url", text), path.name


def test_voice_clips_and_manifest(live: LiveServer, tmp_path: Path) -> None:
    # The `live` fixture's voice folder is its tmp_path: empty until clips are written.
    missing = httpx.get(f"{live.url}/voice/clips/manifest.json")
    assert missing.status_code == 404
    assert "hallq voice build" in missing.json()["message"]
    (tmp_path / "manifest.json").write_text('{"format": 1, "clips": {}}', encoding="utf-8")
    (tmp_path / "zh_qing.wav").write_bytes(b"RIFF....WAVE")
    assert httpx.get(f"{live.url}/voice/clips/manifest.json").json()["format"] == 1
    clip = httpx.get(f"{live.url}/voice/clips/zh_qing.wav")
    assert (clip.status_code, clip.headers["content-type"]) == (200, "audio/wav")
    for bad in ("..%2Fsecret.wav", "zh_qing.mp3", "notes.txt"):
        assert httpx.get(f"{live.url}/voice/clips/{bad}").status_code == 404
