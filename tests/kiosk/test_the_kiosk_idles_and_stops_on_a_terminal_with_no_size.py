"""`hallq kiosk` started on a terminal that reports no size (a serial console, a pty nobody
sized) idles and stops on SIGTERM like any other. Before, its home screen was resized between
80 x 25 and 80 x 24 hundreds of times a second: a core busy for as long as it ran, and SIGTERM
still waiting after 15 s. Run for real in a pseudo-terminal of 0 x 0."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from tests.support.live_server import free_port
from tests.support.pty_terminal import ENTER_ALT, LEAVE_ALT, hallq_in_terminal, read_terminal


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_it_idles_and_stops_on_sigterm(tmp_path: Path) -> None:
    server = f"http://127.0.0.1:{free_port()}"  # nobody there: the kiosk starts all the same
    env = {**os.environ, "TERM": "xterm-256color"}
    for name in ("COLUMNS", "LINES", "HALLQ_DEVICE_TOKEN"):
        env.pop(name, None)
    args = ["kiosk", "--server", server, "--hall", "demo"]
    with hallq_in_terminal(args, env, cwd=tmp_path) as (proc, terminal):
        started = read_terminal(terminal, 60, ENTER_ALT)
        assert ENTER_ALT in started, started[-400:]
        read_terminal(terminal, 2.0)  # drawn and settled, its first refresh tried
        before = _cpu_seconds(proc.pid)
        read_terminal(terminal, 3.0)
        busy = _cpu_seconds(proc.pid) - before
        # Idle, a kiosk ticks its clock and retries the server every few seconds: a few
        # hundredths of a second in three. A spinning one spends all three.
        assert busy < 1.0, f"{busy:.2f} s of CPU in 3 s while idle"
        proc.send_signal(signal.SIGTERM)
        rest = read_terminal(terminal, 20, LEAVE_ALT)
        assert proc.wait(timeout=20) == 0
    assert LEAVE_ALT in rest
