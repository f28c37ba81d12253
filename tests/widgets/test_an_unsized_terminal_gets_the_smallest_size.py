"""A terminal that reports 0 x 0 (a serial console, a pty nobody sized) is given 80 x 24
before a full-screen app starts; one with a size, or no terminal at all, is left alone."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import termios
from collections.abc import Iterator

import pytest

from hallq.widgets.terminal_size import size_an_unsized_terminal


@pytest.fixture
def terminal() -> Iterator[int]:
    main, child = pty.openpty()
    yield child
    os.close(child)
    os.close(main)


def test_it_sizes_a_terminal_that_reports_none(terminal: int) -> None:
    assert os.get_terminal_size(terminal) == (0, 0)
    assert size_an_unsized_terminal(terminal) is True
    assert os.get_terminal_size(terminal) == (80, 24)


def test_it_leaves_a_sized_terminal_alone(terminal: int) -> None:
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    assert size_an_unsized_terminal(terminal) is False
    assert os.get_terminal_size(terminal) == (100, 30)


def test_it_leaves_what_is_not_a_terminal_alone() -> None:
    read, write = os.pipe()
    try:
        assert size_an_unsized_terminal(write) is False
    finally:
        os.close(read)
        os.close(write)
