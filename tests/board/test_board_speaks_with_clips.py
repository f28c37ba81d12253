"""With no Chinese speech-synthesis voice (headless Chromium has none), the board chains the
server's espeak-ng clips: Mandarin then English, one announcement after the other."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.voice import all_tokens, announcement_tokens, generate_clips
from tests.board.conftest import board, spoken, wait_until
from tests.conftest import need
from tests.live.helpers import quick_settings
from tests.support.auth import duty_lead_headers
from tests.support.live_server import LiveServer, live_server

CALLS = [("A001", "1"), ("A002", "3")]


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need(shutil.which("espeak-ng") is not None, "espeak-ng is not installed (apt: espeak-ng)")
    wanted = {
        token
        for number, window in CALLS
        for lang in ("zh", "en")
        for token in announcement_tokens(number, window, lang)  # type: ignore[arg-type]
    }
    every = all_tokens()
    out = tmp_path_factory.mktemp("voice")
    generate_clips(out, {token: every[token] for token in sorted(wanted)})
    return out


@pytest.fixture
def voiced(services: Services, clips: Path) -> Iterator[LiveServer]:
    with live_server(create_app(services, quick_settings(voice_dir=clips))) as running:
        yield running


def test_two_calls_are_spoken_from_clips_in_turn(voiced: LiveServer, services: Services) -> None:
    api = httpx.Client(
        base_url=f"{voiced.url}/api/v1/halls/test", headers=duty_lead_headers(services)
    )
    api.post("/tickets", json={"service": "SOC"})
    api.post("/tickets", json={"service": "SOC"})
    with board(voiced.url) as page:
        assert page.evaluate("window.hallqBoard.voiceMode") == "clips"
        api.post("/windows/1/call-next")
        api.post("/windows/3/call-next")
        wait_until(
            page, "window.hallqBoard.spoken.length === 2 && window.hallqBoard.spoken[0].clips"
        )
        first, second = spoken(page)
    # Chained clips take seconds; the second call waits its turn instead of cutting in.
    assert (first["number"], first["mode"], first["state"]) == ("A001", "clips", "speaking")
    assert (second["number"], second["state"]) == ("A002", "queued")
    assert first["clips"] == first["tokens"]["zh"] + first["tokens"]["en"]
    assert first["clips"][:2] == ["zh_qing", "zh_A"]
    assert first["clips"][-2:] == ["en_please_go_to_window", "en_1"]
    manifest = httpx.get(f"{voiced.url}/voice/clips/manifest.json").json()["clips"]
    expected = sum(manifest[token]["duration"] for token in first["clips"])
    # Decoded at the audio device's rate, so allow for resampling.
    assert first["seconds"] == pytest.approx(expected, rel=0.02)
