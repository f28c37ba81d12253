"""A terminal that reports no size gets the smallest one our screens are made for, before a
full-screen app starts in it.

A serial console, or a pseudo-terminal that nobody sized, reports 0 x 0. Textual then falls
back to 80 x 25 in one place and not in another: the kiosk's home screen was resized between
80 x 25 and 80 x 24 about 300 times a second, one core stayed busy, and SIGTERM waited
behind the flood until systemd's kill. 80 x 24 is the smallest device size every screen is
checked at (docs/devices.md). The size is set on the terminal itself (as `stty cols 80 rows
24` would), so a terminal emulator that sizes it later still wins, with a resize (SIGWINCH),
which COLUMNS and LINES in the environment would not allow."""

from __future__ import annotations

import fcntl
import os
import struct
import sys
import termios

SMALLEST = (80, 24)  # columns, rows


def size_an_unsized_terminal(fd: int | None = None, size: tuple[int, int] = SMALLEST) -> bool:
    """Gives the terminal on `fd` (standard output by default) `size` if it reports none;
    True if it did. A terminal with a size, or no terminal at all, is left as it is."""
    if fd is None:
        try:
            fd = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):  # replaced or closed standard output
            return False
    if not os.isatty(fd):
        return False
    try:
        columns, rows = os.get_terminal_size(fd)
    except OSError:
        return False
    if columns and rows:
        return False
    wanted_columns, wanted_rows = size
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", wanted_rows, wanted_columns, 0, 0))
    return True
