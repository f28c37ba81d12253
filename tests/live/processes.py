"""Queue servers as real `uvicorn` processes, as `hallq serve --workers N` runs them."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from tests.support.live_server import free_port

REPO = Path(__file__).resolve().parents[2]


class ServerProcess:
    def __init__(self, database_url: str, *, migrate: bool, extra_env: dict[str, str]) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "HALLQ_DATABASE_URL": database_url,
            "HALLQ_CONFIG": "",  # the demo hall, open around the clock
            "HALLQ_AUTO_MIGRATE": "true" if migrate else "false",
            "HALLQ_LIVE_VOICE_AUTOBUILD": "false",
            **extra_env,
        }
        command = [
            sys.executable, "-m", "uvicorn", "queue_server.api.main:app_from_env", "--factory",
            "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=REPO, env=env)

    def wait_ready(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/api/v1/halls", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"server on port {self.port} did not start in {timeout} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def server_processes(
    database_url: str, count: int, extra_env: dict[str, str] | None = None
) -> Iterator[list[ServerProcess]]:
    """`count` servers on one database that is already migrated.

    They start one after the other: each syncs the hall configuration into the database at
    start-up, and two doing that at the same moment can collide.
    """
    with ExitStack() as stack:
        servers: list[ServerProcess] = []
        for _ in range(count):
            server = ServerProcess(database_url, migrate=False, extra_env=extra_env or {})
            stack.callback(server.stop)
            server.wait_ready()
            servers.append(server)
        yield servers
