"""A real webhook receiver for the tests: an HTTP server on 127.0.0.1 in a thread that checks each request's
signature the way docs/webhooks.md tells a gateway to, records it, and can be told to fail or be slow."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    event_id: str
    topic: str
    headers: dict[str, str]
    body: dict[str, Any]
    signature_ok: bool
    answered: int


class WebhookReceiver:
    def __init__(self, secret: str, *, fail_first: int = 0, fail_status: int = 500, delay: float = 0.0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.delay = delay
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hook"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def verify(self, headers: dict[str, str], raw: bytes) -> bool:
        expected = hmac.new(
            self.secret.encode(), headers.get("x-wangge-timestamp", "").encode() + b"." + raw, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest("sha256=" + expected, headers.get("x-wangge-signature", ""))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver._lock:
                    status = receiver.fail_status if len(receiver.requests) < receiver.fail_first else 204
                    body = json.loads(raw)
                    receiver.requests.append(
                        Received(body["id"], body["topic"], headers, body, receiver.verify(headers, raw), status)
                    )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:  # keep the test output quiet
                pass

        return Handler

    @property
    def accepted(self) -> list[Received]:
        with self._lock:
            return [r for r in self.requests if 200 <= r.answered < 300]

    def accepted_per_event(self) -> Counter[str]:
        return Counter(r.event_id for r in self.accepted)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
