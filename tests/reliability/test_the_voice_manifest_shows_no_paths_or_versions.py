"""Security review, finding 8 (low, docs/reliability.md): the public voice manifest showed the
speech tools' versions (and with them install paths). The board gets each clip's file and length,
nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from queue_server.api.app import create_app
from queue_server.api.deps import Services
from tests.live.helpers import quick_settings
from tests.support.live_server import live_server

STORED = {
    "format": 1,
    "tools": {
        "espeak-ng": "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/espeak-ng-data",
        "sox": "/usr/bin/sox: SoX v14.4.2",
    },
    "clips": {"zh_qing": {"file": "zh_qing.wav", "duration": 0.52, "text": "请", "voice": "cmn"}},
}


def test_the_voice_manifest_shows_no_paths_or_versions(services: Services, tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps(STORED), encoding="utf-8")
    with live_server(create_app(services, quick_settings(voice_dir=tmp_path))) as server:
        answer = httpx.get(f"{server.url}/voice/clips/manifest.json")
    assert answer.status_code == 200
    assert answer.json() == {"format": 1, "clips": STORED["clips"]}
    assert "/usr" not in answer.text and "1.51" not in answer.text
