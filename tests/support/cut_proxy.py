"""The one loopback TCP proxy of the tests: it cuts a client off from the server the ways a
hall's network does: pass everything, drop (connections hang, nothing arrives: a dead
switch), refuse (connections are reset at once: a server that is down), lose the answer to
the next request whose first line holds a marker (the server did it, the client never
hears), optionally taking the network down right then, hold the answer to the next such
request until the test lets it go (the server did it, the client is still waiting), or cut
the next such request halfway through its body (the server never gets all of it)."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from typing import Literal

Mode = Literal["pass", "drop", "refuse"]


class CutProxy:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.mode: Mode = "pass"
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        # (marker, mode after): lose the answer to the next such request, then switch mode
        self._lose: list[tuple[bytes, Mode | None]] = []
        self._cut: list[tuple[bytes, int]] = []  # (marker, bytes let through)
        self._hold: list[bytes] = []
        # Set once a held answer has come from the server; the answer waits for `release`.
        self.holding = threading.Event()
        self._released = threading.Event()
        self.lost = 0
        self.cut = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    # ----- what a test does --------------------------------------------------------------

    def set_mode(self, mode: Mode) -> None:
        """Switch, and end every connection open now (a cable pulled ends them too)."""
        with self._lock:
            self.mode = mode
            sockets = list(self._open)
            self._open.clear()
        for sock in sockets:
            _reset(sock)

    def lose_next_answer(self, marker: bytes, *, then: Mode | None = None) -> None:
        """The next request whose first line holds `marker` reaches the server; its answer
        is dropped with the connection. `then`: the mode the proxy switches to the moment
        that answer arrives (the network goes down right after the server did it)."""
        with self._lock:
            self._lose.append((marker, then))

    def hold_next_answer(self, marker: bytes) -> None:
        """The next request whose first line holds `marker` reaches the server; its answer
        waits in the proxy (`holding` is set when it has come) until `release`."""
        with self._lock:
            self._hold.append(marker)
            self.holding.clear()
            self._released.clear()

    def release(self) -> None:
        """Let the held answer go on to the client (if it is still connected)."""
        self._released.set()

    def cut_next_request(self, marker: bytes, after_bytes: int) -> None:
        with self._lock:
            self._cut.append((marker, after_bytes))

    def close(self) -> None:
        self._closed = True
        self._released.set()
        self._listener.close()
        self.set_mode("refuse")

    # ----- plumbing ----------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            mode = self.mode
            if mode == "refuse":
                _reset(client)
                continue
            with self._lock:
                self._open.add(client)
            if mode == "drop":
                continue  # held open, never answered, until the mode changes
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                _reset(client)  # the server itself is down: the client sees a refusal
                continue
            with self._lock:
                self._open.add(upstream)
            losing = _Losing()
            threading.Thread(target=self._up, args=(client, upstream, losing), daemon=True).start()
            threading.Thread(
                target=self._down, args=(client, upstream, losing), daemon=True
            ).start()

    def _take(self, first_line: bytes) -> tuple[bool, Mode | None, int | None]:
        with self._lock:
            for marker, then in self._lose:
                if marker in first_line:
                    self._lose.remove((marker, then))
                    self.lost += 1
                    return True, then, None
            for marker, after in self._cut:
                if marker in first_line:
                    self._cut.remove((marker, after))
                    self.cut += 1
                    return False, None, after
        return False, None, None

    def _held(self, first_line: bytes) -> bool:
        with self._lock:
            for marker in self._hold:
                if marker in first_line:
                    self._hold.remove(marker)
                    return True
        return False

    def _up(self, client: socket.socket, upstream: socket.socket, losing: _Losing) -> None:
        budget: int | None = None
        try:
            while chunk := client.recv(65536):
                if chunk.startswith(b"POST"):
                    first_line = chunk.split(b"\r\n", 1)[0]
                    if self._held(first_line):
                        losing.hold = True
                    lose, then, budget = self._take(first_line)
                    if lose:
                        losing.then = then
                        losing.set()
                if budget is not None:
                    if len(chunk) > budget:
                        upstream.sendall(chunk[:budget])
                        break  # the rest never arrives: the connection dies mid-request
                    budget -= len(chunk)
                upstream.sendall(chunk)
        except OSError:
            pass
        _reset(upstream)
        _reset(client)

    def _down(self, client: socket.socket, upstream: socket.socket, losing: _Losing) -> None:
        try:
            while chunk := upstream.recv(65536):
                if losing.hold:
                    losing.hold = False
                    self.holding.set()
                    self._released.wait()
                if losing.is_set():
                    # The server answered: drop the answer and the connection, and maybe
                    # the network with it before the client can ask again.
                    if losing.then is not None:
                        self.set_mode(losing.then)
                    break
                client.sendall(chunk)
        except OSError:
            pass
        _reset(client)
        _reset(upstream)


class _Losing(threading.Event):
    """Set when this connection's answer is to be lost; `then`: the mode to switch to."""

    then: Mode | None = None
    hold: bool = False  # the answer waits for CutProxy.release


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        # RST, not FIN: the client sees "connection reset", as from a dead peer.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()
