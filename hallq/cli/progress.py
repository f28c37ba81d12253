"""Progress of a long command: one line on stderr."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """One line on stderr, rewritten in place on a terminal and printed every few seconds
    otherwise (logs)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.started = time.perf_counter()
        self.last = 0.0

    def say(self, text: str, *, final: bool = False) -> None:
        now = time.perf_counter()
        if not final and not self.tty and now - self.last < 2:
            return
        self.last = now
        line = f"[{now - self.started:6.1f} s] {text}"
        end = "\n" if final or not self.tty else ""
        print(("\r\033[K" if self.tty else "") + line, end=end, file=self.stream, flush=True)

    def events(self, label: str) -> Callable[[int, int], None]:
        def report(done: int, total: int) -> None:
            share = f" ({100 * done / total:.0f} %)" if total else ""
            self.say(f"{label}: {done}/{total} events read{share}", final=done >= total > 0)

        return report
