"""`hallq serve --config FILE` serves that hall; a bad file stops it with the key named."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from queue_server.demo import EXAMPLE_CONFIG
from tests.support.hallq_command import hallq
from tests.support.live_server import free_port


def test_it_serves_the_hall_in_the_file(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hallq",
            "serve",
            "--config",
            str(EXAMPLE_CONFIG),
            "--database",
            f"sqlite:///{tmp_path}/h.sqlite3",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
    )
    try:
        for _ in range(150):
            try:
                halls = httpx.get(f"http://127.0.0.1:{port}/api/v1/halls", timeout=1).json()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("hallq serve did not answer")
        assert halls[0]["id"] == "demo"
        assert halls[0]["name"]["zh"] == "示范区政务服务中心"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_bad_config_stops_it_with_the_key_named(tmp_path: Path) -> None:
    bad = tmp_path / "hall.toml"
    bad.write_text(
        EXAMPLE_CONFIG.read_text(encoding="utf-8").replace(
            "issue_cutoff_minutes = 30", "issue_cutoff_minutes = -5"
        ),
        encoding="utf-8",
    )
    result = hallq(
        "serve", "--config", str(bad), "--database", f"sqlite:///{tmp_path}/h.sqlite3", timeout=60
    )
    assert result.returncode == 2
    assert "hall.issue_cutoff_minutes" in result.stderr


def test_several_workers_need_postgresql(tmp_path: Path) -> None:
    result = hallq(
        "serve", "--config", str(EXAMPLE_CONFIG), "--database", f"sqlite:///{tmp_path}/h.sqlite3",
        "--workers", "4", timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "need PostgreSQL" in result.stderr
