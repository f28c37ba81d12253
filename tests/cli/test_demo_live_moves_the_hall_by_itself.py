"""`hallq demo` (what `make demo` runs) runs the simulator beside the demo by default: the
hall moves by itself, and it says where the duty lead's floor monitor is."""

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
    out = (tmp_path / "demo.out").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hallq",
            "demo",
            "--speed",
            "60",
            "--port",
            str(port),
            "--database",
            f"sqlite:///{tmp_path}/demo.sqlite3",
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
        stdout=out,
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
        printed = (tmp_path / "demo.out").read_text()
        assert f"http://127.0.0.1:{port}/floor/demo" in printed
        assert "2001 / demo-lead-1" in printed
    finally:
        os.killpg(proc.pid, 15)
        # A stopping demo first stops its simulator, then signs its simulated clerks out
        # through the service layer (queue_server/demo/run.py): seconds, more on a busy CI.
        proc.wait(timeout=60)
        out.close()
