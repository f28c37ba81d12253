"""`hallq console` and `hallq display` stopped with SIGTERM (systemd, `kill`) leave the
terminal as they found it: out of the alternate screen, mouse reporting off, cursor shown.
Run for real in a pseudo-terminal, as a person's terminal runs them."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.support.live_server import free_port
from tests.support.pty_terminal import (
    ENTER_ALT,
    LEAVE_ALT,
    SHOW_CURSOR,
    hallq_in_terminal,
    read_terminal,
)


@pytest.mark.parametrize("command", ["console", "display"])
def test_sigterm_leaves_the_alternate_screen(command: str) -> None:
    server = f"http://127.0.0.1:{free_port()}"  # nobody there: the app starts all the same
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    env.pop("HALLQ_DEVICE_TOKEN", None)
    args = [command, "--server", server, "--hall", "demo", "--window", "1"]
    with hallq_in_terminal(args, env) as (proc, terminal):
        started = read_terminal(terminal, 60, ENTER_ALT)
        assert ENTER_ALT in started, started[-400:]
        time.sleep(1.0)  # let it draw and settle, as a running app would have
        read_terminal(terminal, 0.5)
        proc.send_signal(signal.SIGTERM)
        rest = read_terminal(terminal, 20)
        assert proc.wait(timeout=20) == 0
    assert LEAVE_ALT in rest
    assert SHOW_CURSOR in rest[rest.index(LEAVE_ALT) - 200 :]
