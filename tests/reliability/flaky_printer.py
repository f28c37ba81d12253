"""A loopback ESC/POS network printer that can run out of paper in the middle of a job (it
stops taking bytes and from then reports paper end) and can vanish and come back on the
same port (unplugged between jobs)."""

from __future__ import annotations

import contextlib
import socket
import threading

from tests.support.escpos_printer import Incomplete, next_command

DLE_EOT = b"\x10\x04"
# DLE EOT 1 / 2 / 4 replies (fixed bits 0x12; 0x60 paper end), as in tests/printers.
REPLIES = {
    "ok": {1: b"\x12", 2: b"\x12", 4: b"\x12"},
    "paper_out": {1: b"\x1a", 2: b"\x32", 4: b"\x72"},
}


class FlakyPrinter:
    def __init__(self) -> None:
        self.paper = True
        self.jam_next_job = False
        self.jobs: list[bytes] = []
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._printed = threading.Condition(self._lock)
        self.port = 0
        self._server: socket.socket | None = None
        self.plug_in()

    def plug_in(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # A small receive buffer: a printer that stops reading fills up soon, as real ones do.
        server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        server.bind(("127.0.0.1", self.port))
        server.listen(8)
        self.port = server.getsockname()[1]
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def unplug(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            server.close()
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with self._lock:
                self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buf, job = bytearray(), bytearray()
        try:
            while chunk := conn.recv(4096):
                buf += chunk
                pos = 0
                while pos < len(buf):
                    try:
                        cmd = next_command(buf, pos)
                    except Incomplete:
                        break
                    pos += len(cmd.raw)
                    if cmd.kind == "realtime":
                        replies = REPLIES["ok" if self.paper else "paper_out"]
                        conn.sendall(replies.get(cmd.raw[2], b"\x12"))
                    elif cmd.kind == "gs_r":
                        conn.sendall(b"\x00")  # answered once the job before it is printed
                    else:
                        job += cmd.raw
                del buf[:pos]
                if self.jam_next_job and len(job) >= 1024:
                    # Paper ran out mid-job: the mechanism stops, nothing more is read.
                    self.jam_next_job = False
                    self.paper = False
                    return
        except OSError:
            return
        if job:
            with self._printed:
                self.jobs.append(bytes(job))
                self._printed.notify_all()

    def printed(self, count: int, timeout: float = 10.0) -> int:
        """How many jobs arrived, waiting up to `timeout` for the `count`-th (it lands a
        moment after the sender has finished)."""
        with self._printed:
            self._printed.wait_for(lambda: len(self.jobs) >= count, timeout)
            return len(self.jobs)
