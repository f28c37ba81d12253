"""`hallq demo --live` runs the simulator beside the demo: the hall moves by itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.live_server import free_port


def test_visitors_arrive_and_windows_call_without_anyone_touching_it(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hallq",
            "demo",
            "--live",
            "--speed",
            "60",
            "--port",
            str(port),
            "--database",
            f"sqlite:///{tmp_path}/demo.sqlite3",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        kinds: set[str] = set()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not {"ticket.issued", "ticket.called"} <= kinds:
            time.sleep(1)
            try:
                snap = httpx.get(
                    f"http://127.0.0.1:{port}/api/v1/halls/demo/snapshot", timeout=2
                ).json()
            except httpx.TransportError:
                continue
            states = {w["state"] for w in snap["windows"]}
            if snap["last_seq"] > 0:
                kinds.add("ticket.issued")
            if states & {"called", "serving"}:
                kinds.add("ticket.called")
        assert {"ticket.issued", "ticket.called"} <= kinds
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=15)
