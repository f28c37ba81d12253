"""`hallq console` and `hallq display` stopped with SIGTERM (systemd, `kill`) leave the
terminal as they found it: out of the alternate screen, mouse reporting off, cursor shown.
Run for real in a pseudo-terminal, as a person's terminal runs them."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from tests.support.live_server import free_port

ENTER_ALT = b"\x1b[?1049h"
LEAVE_ALT = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"


def _read(fd: int, until: float, stop: bytes | None = None) -> bytes:
    data = b""
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        data += chunk
        if stop is not None and stop in data:
            break
    return data


@pytest.mark.parametrize("command", ["console", "display"])
def test_sigterm_leaves_the_alternate_screen(command: str) -> None:
    server = f"http://127.0.0.1:{free_port()}"  # nobody there: the app starts all the same
    main, child = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("HALLQ_DEVICE_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hallq", command, "--server", server, "--hall", "demo",
         "--window", "1"],
        stdin=child, stdout=child, stderr=child, env=env, close_fds=True,
        start_new_session=True,
    )  # fmt: skip
    os.close(child)
    try:
        started = _read(main, time.monotonic() + 60, ENTER_ALT)
        assert ENTER_ALT in started, started[-400:]
        time.sleep(1.0)  # let it draw and settle, as a running app would have
        _read(main, time.monotonic() + 0.5)
        proc.send_signal(signal.SIGTERM)
        rest = _read(main, time.monotonic() + 20)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
    assert LEAVE_ALT in rest
    assert SHOW_CURSOR in rest[rest.index(LEAVE_ALT) - 200 :]
