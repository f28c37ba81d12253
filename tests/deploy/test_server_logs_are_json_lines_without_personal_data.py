"""`hallq serve` under systemd (HALLQ_LOG_FORMAT=json) writes one JSON object per line to
stdout (the journal); a phone or ID number that reaches a log line anyway (here: typed into
a URL, which the access log records) is masked and the line marked `redacted`."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

from queue_server.demo import EXAMPLE_CONFIG
from tests.support.live_server import free_port

PHONE, ID_NUMBER = "13812345678", "330106199001011234"


def test_json_lines(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "stdout.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "HALLQ_LOG_FORMAT": "json",
        "HALLQ_LIVE_VOICE_AUTOBUILD": "false",
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hallq", "serve", "--config", str(EXAMPLE_CONFIG),
             "--database", f"sqlite:///{tmp_path}/h.sqlite3", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(150):
                try:
                    httpx.get(f"{base}/healthz", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                raise AssertionError("hallq serve did not answer")
            httpx.get(f"{base}/api/v1/halls/demo/tickets/{PHONE}")
            httpx.get(f"{base}/api/v1/halls/demo/tickets/{ID_NUMBER}")
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    lines = log.read_text(encoding="utf-8").splitlines()
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"ts", "level", "logger", "msg"} <= set(entries[0])
    access = [e for e in entries if e["logger"] == "uvicorn.access"]
    assert len(access) >= 3
    assert sum(1 for e in access if e.get("redacted")) == 2
    text = "\n".join(lines)
    assert PHONE not in text and ID_NUMBER not in text
    assert "[redacted]" in text
