"""A real uvicorn on loopback, in a thread, for API and websocket tests."""

from __future__ import annotations

import asyncio
import io
import os
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from tests.support.threads import joined, thread_stacks

STOP_SECONDS = 10.0
# Under libfaketime (scripts/test-dates.sh) uvloop's timers can stop firing: libuv reads a
# monotonic clock of its own, and more than once a server then never saw its shutdown, stopping
# only when forced (CI runs of December 2026, the thread idle in uvloop). Python's
# own loop reads time.monotonic, which libfaketime fakes consistently. On real dates the
# servers run the loop `hallq serve` runs.
UNDER_FAKED_CLOCK = "faketime" in os.environ.get("LD_PRELOAD", "")
LOOP = "asyncio" if UNDER_FAKED_CLOCK else "auto"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def awaiting(coroutine: object) -> str:
    """A suspended coroutine's whole await chain, outermost first, as a traceback prints it.
    `Task.print_stack` shows only the outermost frame of a suspended task."""
    lines = []
    while coroutine is not None:
        frame = getattr(coroutine, "cr_frame", None) or getattr(coroutine, "ag_frame", None)
        if frame is not None:
            code = frame.f_code
            lines.append(f'  File "{code.co_filename}", line {frame.f_lineno}, in {code.co_name}\n')
        coroutine = getattr(coroutine, "cr_await", None) or getattr(coroutine, "ag_await", None)
    return "".join(lines)


class _Server(uvicorn.Server):
    """uvicorn's server, remembering its loop: a stop that hangs names the loop's tasks."""

    loop: asyncio.AbstractEventLoop | None = None

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        await super().serve(sockets)

    def waiting_on(self) -> str:
        """The open connections and every task's coroutine stack on the server's loop. Read
        from another thread while the loop runs, so a set that changes meanwhile is read again;
        it is a diagnosis, not a synchronised view."""
        connections = [type(c).__name__ for c in list(self.server_state.connections)]
        out = io.StringIO()
        out.write(f"--- open connections: {connections or 'none'}\n")
        if self.loop is None:
            return out.getvalue()
        for _ in range(5):
            try:
                tasks = list(asyncio.all_tasks(self.loop))
                break
            except RuntimeError:  # the set changed while it was copied
                continue
        else:
            return out.getvalue() + "--- tasks: could not be read\n"
        for task in tasks:
            out.write(f"--- task {task.get_name()}\n{awaiting(task.get_coro())}")
        return out.getvalue()


class LiveServer:
    def __init__(self, app: FastAPI, port: int | None = None) -> None:
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            ws_ping_interval=None,
            loop=LOOP,
        )
        self._server = _Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._stopped = False

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self, seconds: float = STOP_SECONDS) -> None:
        """Stops the server as uvicorn does on Ctrl+C, then forces it as on a second Ctrl+C.

        A shutdown that needs forcing is a defect worth seeing (a connection or task that
        never ends), so it warns with every thread's stack. One that even forcing cannot end
        (a worker thread stuck in the loop's executor) is left behind as the daemon thread it
        is, with the same warning, rather than holding the run until CI's limit.
        """
        if self._stopped:  # once told (and warned), a second stop has nothing to add
            return
        self._stopped = True
        self._server.should_exit = True
        if joined(self._thread, seconds):
            return
        stacks = thread_stacks() + self._server.waiting_on()
        self._server.force_exit = True  # uvicorn's second Ctrl+C: skip waiting for clients
        if joined(self._thread, seconds):
            said = f"uvicorn needed a forced exit after {seconds:g} s"
        else:
            said = f"uvicorn did not stop in {2 * seconds:g} s, even forced; left running"
            stacks = thread_stacks() + self._server.waiting_on()
        warnings.warn(f"{said}:\n{stacks}", RuntimeWarning, stacklevel=2)

    async def astop(self) -> None:
        """`stop` from an async test, in a worker thread. The test's own loop may run a client
        of this server (a kiosk's event stream); blocked by a plain `stop`, it could not answer
        the server's closing handshake, and the stop would wait out its whole grace period."""
        await asyncio.to_thread(self.stop)


@contextmanager
def live_server(app: FastAPI, port: int | None = None) -> Iterator[LiveServer]:
    server = LiveServer(app, port).start()
    try:
        yield server
    finally:
        server.stop()
