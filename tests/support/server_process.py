"""A queue server as a real `uvicorn` process that a test can kill with SIGKILL and restart.

Unlike tests/live/processes.py (several workers on one database), this one keeps its port
across restarts (clients reconnect to the same address), runs a hall from a TOML file and
writes everything the server prints to a log file, which the privacy scan reads afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

from tests.support.live_server import free_port

REPO = Path(__file__).resolve().parents[2]


class ServerProcess:
    def __init__(
        self,
        database_url: str,
        *,
        config: Path | None,
        log_path: Path,
        extra_env: dict[str, str] | None = None,
        port: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **os.environ,
            "HALLQ_DATABASE_URL": database_url,
            "HALLQ_CONFIG": str(config) if config else "",
            "HALLQ_AUTO_MIGRATE": "false",
            "HALLQ_LIVE_VOICE_AUTOBUILD": "false",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.starts = 0

    def start(self, timeout: float = 90.0) -> ServerProcess:
        command = [
            sys.executable, "-m", "uvicorn", "queue_server.api.main:app_from_env", "--factory",
            "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "info",
        ]  # fmt: skip
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        self.starts += 1
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"server exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                if httpx.get(f"{self.url}/api/v1/halls", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server on port {self.port} did not start in {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, open transactions die with the process."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._close_log()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self._close_log()
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
