"""A stand-in for the provincial 好差评 platform: stdlib ThreadingHTTPServer on loopback.

It checks every signature as the platform would, answers 409 to an id it has already, can be
down (the port refuses connections) and can drop its answer after storing the record (what
a lost answer looks like to the sender).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from queue_server.domain.haocha import Algorithm, verify

SECRET = b"province-shared-secret-0123456789"


@dataclass
class Received:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> body
    posts: int = 0
    repeats: int = 0  # posts of an id already stored (answered 409)
    bad_signatures: int = 0
    app_ids: set[str] = field(default_factory=set)


class HaochaReceiver:
    def __init__(
        self,
        algorithm: Algorithm = "hmac-sha256",
        *,
        id_field: str = "recordId",
        timestamp_header: str = "X-Timestamp",
        signature_header: str = "X-Signature",
        app_id_header: str = "X-App-Id",
    ) -> None:
        self.algorithm = algorithm
        self.id_field = id_field
        self.headers = (timestamp_header, signature_header, app_id_header)
        self.received = Received()
        self.drop_next_answers = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Bound once and kept: a platform that comes back comes back at the same address.
        probe = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
        self.port = int(probe.server_address[1])
        probe.server_close()
        self.url = f"http://127.0.0.1:{self.port}/evaluation/push"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                ts_header, sig_header, app_header = receiver.headers
                timestamp = self.headers.get(ts_header, "")
                signature = self.headers.get(sig_header, "")
                with receiver._lock:
                    receiver.received.posts += 1
                    if not verify(receiver.algorithm, SECRET, timestamp, body, signature):
                        receiver.received.bad_signatures += 1
                        self._answer(401, {"error": "bad signature"})
                        return
                    receiver.received.app_ids.add(self.headers.get(app_header, ""))
                    record = json.loads(body)
                    record_id = str(record[receiver.id_field])
                    if record_id in receiver.received.records:
                        receiver.received.repeats += 1
                        self._answer(409, {"error": "duplicate", "id": record_id})
                        return
                    receiver.received.records[record_id] = record
                    if receiver.drop_next_answers > 0:
                        receiver.drop_next_answers -= 1
                        # Stored, but the sender never hears it: the connection just ends.
                        self.close_connection = True
                        self.connection.close()
                        return
                self._answer(200, {"ok": True})

            def _answer(self, status: int, data: dict[str, Any]) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def up(self) -> HaochaReceiver:
        if self._server is None:
            server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
            server.daemon_threads = True
            self._server = server
            self._thread = threading.Thread(target=server.serve_forever, daemon=True)
            self._thread.start()
        return self

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=5)
            self._server = None
            self._thread = None

    def __enter__(self) -> HaochaReceiver:
        return self.up()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.down()
