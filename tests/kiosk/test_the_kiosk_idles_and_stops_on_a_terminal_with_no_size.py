"""`hallq kiosk` started on a terminal that reports no size (a serial console, a pty nobody
sized) idles and stops on SIGTERM like any other. Before, its home screen was resized between
80 x 25 and 80 x 24 hundreds of times a second: a core busy for as long as it ran, and SIGTERM
still waiting after 15 s. Run for real in a pseudo-terminal of 0 x 0."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.live_server import free_port

ENTER_ALT = b"\x1b[?1049h"
LEAVE_ALT = b"\x1b[?1049l"


def _read(fd: int, seconds: float, stop: bytes | None = None) -> bytes:
    data = b""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        ready, _, _ = select.select([fd], [], [], 0.1)
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


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_it_idles_and_stops_on_sigterm(tmp_path: Path) -> None:
    server = f"http://127.0.0.1:{free_port()}"  # nobody there: the kiosk starts all the same
    main, child = pty.openpty()
    assert os.get_terminal_size(child) == (0, 0)
    env = {**os.environ, "TERM": "xterm-256color"}
    for name in ("COLUMNS", "LINES", "HALLQ_DEVICE_TOKEN"):
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hallq", "kiosk", "--server", server, "--hall", "demo"],
        stdin=child, stdout=child, stderr=child, env=env, close_fds=True,
        start_new_session=True, cwd=tmp_path,
    )  # fmt: skip
    os.close(child)
    try:
        started = _read(main, 60, ENTER_ALT)
        assert ENTER_ALT in started, started[-400:]
        _read(main, 2.0)  # drawn and settled, its first refresh tried
        before = _cpu_seconds(proc.pid)
        _read(main, 3.0)
        busy = _cpu_seconds(proc.pid) - before
        # Idle, a kiosk ticks its clock and retries the server every few seconds: a few
        # hundredths of a second in three. A spinning one spends all three.
        assert busy < 1.0, f"{busy:.2f} s of CPU in 3 s while idle"
        proc.send_signal(signal.SIGTERM)
        rest = _read(main, 20, LEAVE_ALT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
    assert LEAVE_ALT in rest
