"""A server started with voice clips missing builds them in the background (the board then
speaks offline), into its own voice folder, and answers requests meanwhile."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import httpx

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from queue_server.voice.clips import MANIFEST_NAME
from queue_server.voice.tokens import all_tokens
from tests.conftest import need
from tests.live.helpers import quick_settings
from tests.support.live_server import live_server


def test_it_builds_every_clip_into_its_voice_folder(services: Services, tmp_path: Path) -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng is not installed (Debian espeak-ng)")
    voice = tmp_path / "voice"
    settings = quick_settings(voice_dir=voice, voice_autobuild=True)
    with live_server(create_app(services, settings)) as server:
        assert httpx.get(f"{server.url}/api/v1/halls", timeout=10).status_code == 200
        manifest = voice / MANIFEST_NAME
        deadline = time.monotonic() + 120
        while not manifest.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert manifest.exists(), "no clips built within 120 s"
    clips = json.loads(manifest.read_text())["clips"]
    assert set(clips) == set(all_tokens())
    assert all((voice / entry["file"]).stat().st_size > 44 for entry in clips.values())
