"""A loopback TCP proxy that lets a request reach the server but loses the server's answer.

That is the nastiest case for taking a number: the ticket exists, the kiosk does not know.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class LossyProxy:
    def __init__(self, target_port: int, *, lose: int = 1, marker: bytes = b"/tickets") -> None:
        self.target_port = target_port
        self.lost = 0
        self._to_lose = lose
        self._marker = marker
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            losing = threading.Event()
            threading.Thread(target=self._up, args=(client, upstream, losing), daemon=True).start()
            threading.Thread(
                target=self._down, args=(client, upstream, losing), daemon=True
            ).start()

    def _up(self, client: socket.socket, upstream: socket.socket, losing: threading.Event) -> None:
        try:
            while chunk := client.recv(65536):
                if chunk.startswith(b"POST") and self._marker in chunk.split(b"\r\n", 1)[0]:
                    with self._lock:
                        if self.lost < self._to_lose:
                            self.lost += 1
                            losing.set()
                upstream.sendall(chunk)
        except OSError:
            pass
        _close(upstream)

    def _down(
        self, client: socket.socket, upstream: socket.socket, losing: threading.Event
    ) -> None:
        try:
            while chunk := upstream.recv(65536):
                if losing.is_set():
                    break  # the server answered: drop the answer and the connection
                client.sendall(chunk)
        except OSError:
            pass
        _close(client)
        _close(upstream)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
