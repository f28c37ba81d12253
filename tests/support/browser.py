"""Headless Chromium driven over the DevTools protocol (CDP), for pages served by the server."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from websockets.sync.client import ClientConnection, connect

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# No host name resolves except loopback: a page that needs the internet fails as on a hall LAN.
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


def chromium_path() -> str | None:
    return CHROMIUM if shutil.which(CHROMIUM) else shutil.which("chromium")


class Page:
    """One tab; `evaluate` runs JavaScript in it and returns the value."""

    def __init__(self, ws: ClientConnection, session: str) -> None:
        self._ws = ws
        self._session = session
        self._ids = itertools.count(1)

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        message_id = next(self._ids) + 1000
        self._ws.send(
            json.dumps(
                {
                    "id": message_id,
                    "method": method,
                    "params": params or {},
                    "sessionId": self._session,
                }
            )
        )
        while True:
            reply = json.loads(self._ws.recv(timeout=30))
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        return result.get("result", {}).get("value")

    def text(self) -> str:
        return str(self.evaluate("document.body ? document.body.innerText : ''") or "")

    def wait_for_text(self, *needles: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.text()
            if all(n in text for n in needles):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"page never showed {needles!r}; it shows:\n{text}")
            time.sleep(0.1)


@contextmanager
def chromium_page(
    url: str, *, width: int = 390, height: int = 844, flags: Sequence[str] = ()
) -> Iterator[Page]:
    """Open `url` in a fresh headless Chromium (own profile directory) and yield the tab;
    `flags` are more command-line switches (e.g. OFFLINE)."""
    exe = chromium_path()
    assert exe is not None, "chromium is not installed"
    # Chromium may still be writing its profile while it exits; leftovers must not fail a test.
    with tempfile.TemporaryDirectory(
        prefix="hallq-chromium-", ignore_cleanup_errors=True
    ) as profile:
        proc = subprocess.Popen(
            [
                exe,
                *FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                f"--window-size={width},{height}",
                *flags,
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            ws_url = _devtools_url(proc)
            with connect(ws_url, max_size=None) as ws:
                ws.send(
                    json.dumps({"id": 1, "method": "Target.createTarget", "params": {"url": url}})
                )
                target = _reply(ws, 1)["targetId"]
                ws.send(
                    json.dumps(
                        {
                            "id": 2,
                            "method": "Target.attachToTarget",
                            "params": {"targetId": target, "flatten": True},
                        }
                    )
                )
                session = _reply(ws, 2)["sessionId"]
                yield Page(ws, session)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _devtools_url(proc: subprocess.Popen[str]) -> str:
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        found = re.search(r"DevTools listening on (ws://\S+)", line)
        if found:
            return found.group(1)
    raise RuntimeError("chromium did not start its DevTools endpoint:\n" + "".join(seen[-20:]))


def _reply(ws: ClientConnection, message_id: int) -> dict[str, Any]:
    while True:
        reply = json.loads(ws.recv(timeout=30))
        if reply.get("id") == message_id:
            if "error" in reply:
                raise RuntimeError(str(reply["error"]))
            return dict(reply["result"])
