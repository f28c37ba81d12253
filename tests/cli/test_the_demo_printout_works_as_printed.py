"""A newcomer's first minutes, end to end: the default `hallq demo` in its own folder, its
printout followed line by line. The printed curl line takes a number; the printed console
account signs in at the printed window (free: the simulator leaves it to a person); the
printed `hallq` runs; `/`, the board and the floor monitor answer, the floor's first screen
showing windows and queues at 1280x800; simulated visitors arrive within seconds. Ctrl-C
stops it with the simulated clerks signed out, and `--no-live` on the same folder starts with
no simulated clerk signed in and the same device tokens."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from tests.conftest import need
from tests.floor.conftest import wait_until
from tests.support.browser import chromium_page, chromium_path
from tests.support.live_server import free_port

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 240.0  # the first start simulates last month (about 30 s on a busy machine)


class Demo:
    def __init__(self, folder: Path, port: int, *extra: str) -> None:
        self.folder = folder
        self.url = f"http://127.0.0.1:{port}"
        self.out_path = folder / f"demo-{len(list(folder.glob('demo-*.out')))}.out"
        self._out: IO[bytes] = self.out_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "hallq", "demo", "--port", str(port), *extra],
            cwd=folder,
            env={
                **os.environ,
                "PYTHONPATH": str(REPO),
                "HALLQ_LIVE_VOICE_AUTOBUILD": "false",
            },
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, like a terminal's foreground job
        )

    def printout(self) -> str:
        return self.out_path.read_text("utf-8")

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.printout()
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"the demo never served:\n{self.printout()}")

    def line(self, label: str) -> str:
        match = re.search(rf"^  {re.escape(label)}:\s+(.*)$", self.printout(), re.MULTILINE)
        assert match, f"no {label!r} line in:\n{self.printout()}"
        return match.group(1)

    def stop(self, sig: int) -> None:
        """Ctrl-C reaches the terminal's whole foreground group; SIGTERM only the demo."""
        if sig == signal.SIGINT:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        try:
            assert self.process.wait(timeout=60) == 0, self.printout()
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self._out.close()

    def snapshot(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}/api/v1/halls/demo/snapshot", timeout=10).json())


def _sh(command: str, folder: Path) -> str:
    done = subprocess.run(
        ["sh", "-c", command], cwd=folder, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    return done.stdout


def _simulated(snapshot: dict[str, Any]) -> list[int]:
    return [
        w["number"]
        for w in snapshot["windows"]
        if (w.get("clerk") or {}).get("staff_no", "").startswith("sim-")
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The default demo, started once for the tests below, which run in this order."""
    folder = tmp_path_factory.mktemp("newcomer")
    started = Demo(folder, free_port())
    try:
        started.wait_until_serving()
        yield started
    finally:
        if started.process.poll() is None:
            started.stop(signal.SIGINT)


@dataclass
class Printed:
    window: int = 0
    staff_no: str = ""
    tokens: dict[str, str] = field(default_factory=dict)


PRINTED = Printed()


def test_a_newcomer_follows_the_printout(demo: Demo) -> None:
    served_at = time.monotonic()
    folder = demo.folder

    # The console line: a `hallq` that runs as printed, a window nobody simulated holds.
    console = demo.line("clerk console")
    command, _, note = console.partition("   (")
    words = shlex.split(command)
    _sh(shlex.join([*words[: words.index("console")], "console", "--help"]), folder)
    window = int(re.search(r"--window (\d+)", command).group(1))  # type: ignore[union-attr]
    login = re.search(r"log in as (\S+) / (\S+);", note)
    assert login, note
    staff_no, password = login.groups()

    # Simulated visitors within seconds; simulated clerks everywhere but that window.
    while True:
        snapshot = demo.snapshot()
        moving = [w for w in snapshot["windows"] if w["state"] in ("called", "serving")]
        if moving and len(_simulated(snapshot)) == len(snapshot["windows"]) - 1:
            break
        assert time.monotonic() - served_at < 90, snapshot
        time.sleep(1)
    assert window not in _simulated(snapshot)
    assert all(w["number"] != window for w in moving)

    # The curl line takes a number.
    ticket = json.loads(_sh(demo.line("take a number"), folder))
    assert ticket["service"] == "SOC" and ticket["number"]

    # The console's account signs in at the printed window, as the console does.
    answer = httpx.post(
        f"{demo.url}/api/v1/auth/login", json={"staff_no": staff_no, "password": password}
    )
    assert answer.status_code == 200, answer.text
    headers = {"Authorization": f"Bearer {answer.json()['token']}"}
    signed = httpx.post(f"{demo.url}/api/v1/halls/demo/windows/{window}/sign-in", headers=headers)
    assert signed.status_code == 200, signed.text

    # The pages a newcomer opens.
    start = httpx.get(f"{demo.url}/")
    assert start.status_code == 200 and "/floor/demo" in start.text
    assert f"<code>{password}</code>" in start.text
    for path in ("/board/demo", "/floor/demo", "/book/demo", "/docs"):
        assert httpx.get(f"{demo.url}{path}").status_code == 200, path
    first_screen = _floor_first_screen(demo.line("floor monitor"))
    assert first_screen["alerts"] < 5  # the demo's own history does not flood the floor
    assert first_screen["services"] == (12, True)  # every queue, its grid starting on screen

    PRINTED.window, PRINTED.staff_no = window, staff_no
    PRINTED.tokens = {p.name: p.read_text() for p in (folder / "var/demo-tokens").iterdir()}


def test_the_floor_shows_the_windows_on_its_first_screen(demo: Demo) -> None:
    first_screen = _floor_first_screen(demo.line("floor monitor"))
    assert first_screen["windows"] == (8, True)


def test_stopped_it_leaves_no_simulated_clerk_for_no_live(demo: Demo) -> None:
    assert PRINTED.window, "the printout test must run first"
    demo.stop(signal.SIGINT)  # Ctrl-C
    assert re.search(r"simulated clerks signed out of windows [\d, ]+", demo.printout())

    again = Demo(demo.folder, int(demo.url.rsplit(":", 1)[1]), "--no-live")
    try:
        again.wait_until_serving()
        snapshot = again.snapshot()
        assert _simulated(snapshot) == []
        assert not [w for w in snapshot["windows"] if w["state"] in ("called", "serving")]
        # The person's own sign-in is theirs to end; the device tokens carry over.
        [mine] = [w for w in snapshot["windows"] if w["number"] == PRINTED.window]
        assert mine["clerk"]["staff_no"] == PRINTED.staff_no
        tokens = {p.name: p.read_text() for p in (demo.folder / "var/demo-tokens").iterdir()}
        assert tokens == PRINTED.tokens
        assert json.loads(_sh(again.line("take a number"), demo.folder))["number"]
        assert "every window is yours" in again.line("clerk console")
    finally:
        again.stop(signal.SIGTERM)


def _floor_first_screen(printed: str) -> dict[str, Any]:
    """The duty lead logs in with the printed account on a 1280x800 tablet: how many alerts,
    and (items, starts on the first screen) of the queues and of the windows."""
    need(chromium_path() is not None, "Chromium is not installed (Debian package chromium)")
    url, lead = printed.split("   (duty lead: ")
    staff_no, password = lead.rstrip(")").split(" / ")
    with chromium_page(url.strip(), width=1280, height=800) as page:
        wait_until(page, "!document.getElementById('login').hidden", timeout=30)
        page.evaluate(
            f"""(() => {{
              document.getElementById('login-staff').value = {json.dumps(staff_no)};
              document.getElementById('login-password').value = {json.dumps(password)};
              document.getElementById('login-form').requestSubmit();
            }})()"""
        )
        wait_until(page, "window.hallqFloor.state.loads > 0", timeout=30)
        wait_until(page, "document.querySelector('#windows > *')", timeout=30)
        found = page.evaluate(
            "Object.fromEntries(['services', 'windows'].map(id => {"
            " const e = document.getElementById(id); const r = e.getBoundingClientRect();"
            " return [id, [e.children.length, r.top >= 0 && r.top < innerHeight]]; }))"
        )
        alerts = page.evaluate("document.querySelectorAll('#alerts > li').length")
    return {
        "alerts": alerts,
        "services": tuple(found["services"]),
        "windows": tuple(found["windows"]),
    }
