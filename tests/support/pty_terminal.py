"""Reading what an app running in a pseudo-terminal wrote to it (the terminal tests)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENTER_ALT = b"\x1b[?1049h"  # the app took the screen over
LEAVE_ALT = b"\x1b[?1049l"  # and gave it back
SHOW_CURSOR = b"\x1b[?25h"


def read_terminal(fd: int, seconds: float, stop: bytes | None = None) -> bytes:
    """What arrives on the pty's main side for up to `seconds`, or until `stop` has arrived,
    or until the app closed the terminal."""
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


@contextmanager
def hallq_in_terminal(
    args: list[str], env: dict[str, str], cwd: Path | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`python -m hallq ARGS` in a new pseudo-terminal, as a person's terminal runs it (the
    pty reports 0 x 0 unless `env` names COLUMNS and LINES); yields the process and the pty's
    main side, and kills what is still running at the end."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hallq", *args],
        stdin=child, stdout=child, stderr=child, env=env, close_fds=True,
        start_new_session=True, cwd=cwd,
    )  # fmt: skip
    os.close(child)
    try:
        yield proc, main
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
