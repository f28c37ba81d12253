"""A hall's webhook receiver on loopback (an SMS gateway, a booking system): it checks every
HMAC-SHA256 signature the way docs/appointments.md tells, and can refuse the next deliveries."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET = "a-webhook-secret-of-the-hall-0123456789"


class Receiver:
    """An HTTP server that verifies the signature the way docs/appointments.md tells."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.bad_signatures = 0
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers.get("X-Hallq-Timestamp", "")
                mac = hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
                expected = "sha256=" + mac.hexdigest()
                if not hmac.compare_digest(expected, self.headers.get("X-Hallq-Signature", "")):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                elif receiver.fail_next > 0:
                    receiver.fail_next -= 1
                    self.send_response(503)
                else:
                    receiver.received.append(json.loads(body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self) -> list[str]:
        return [r["event"] for r in self.received]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
