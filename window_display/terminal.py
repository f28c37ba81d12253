"""Run a Textual app so that SIGTERM (systemd, `kill`, a demo being stopped) ends it like a
quit key does: the app exits through Textual, which leaves the alternate screen and restores
the terminal's modes, instead of dying with the terminal still in them."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import TypeVar

from textual.app import App

from hallq.widgets.terminal_size import size_an_unsized_terminal

ReturnType = TypeVar("ReturnType")


def run_until_stopped(app: App[ReturnType]) -> ReturnType | None:
    size_an_unsized_terminal()  # a serial console's 0 x 0 (hallq/widgets/terminal_size.py)

    async def main() -> ReturnType | None:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, app.exit)
        try:
            return await app.run_async()
        finally:
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signal.SIGTERM)

    return asyncio.run(main())
