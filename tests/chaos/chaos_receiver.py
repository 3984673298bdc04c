"""A webhook receiver in the test process: a threaded HTTP server on 127.0.0.1 that checks
each delivery's signature with the service's secret (api.webhooks.sign) and records the
event id of every request it gets, duplicates included (the transport is at-least-once).

A request whose body ends before its Content-Length (the sending worker was SIGKILLed
mid-request) is not a delivery: any HTTP framework drops it, no answer goes back, and the
service delivers the event again when its lease runs out. It is counted apart (`cut`),
never checked as a delivery."""

from __future__ import annotations

import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from api.webhooks import sign

PATH = "/chaos-hook"


class _Server(ThreadingHTTPServer):
    # each API worker sends up to 50 deliveries at once: the default listen backlog (5)
    # would refuse some of them, and the retries would be the receiver's doing
    request_queue_size = 256


@dataclass(frozen=True, slots=True)
class Received:
    event_id: str  # X-Agent-Assist-Event-Id
    body_id: str  # the body's "id"
    type: str
    delivery_id: str  # X-Agent-Assist-Delivery
    signature_ok: bool
    at: float  # time.monotonic() when it arrived


class WebhookReceiver:
    def __init__(self, secret: str) -> None:
        self.secret = secret
        self._lock = threading.Lock()
        self._received: list[Received] = []
        self._cut = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request: nothing to answer
                    receiver._count_cut()
                    self.close_connection = True
                    return
                receiver._record(dict(self.headers.items()), body)
                self.send_response(204 if self.path == PATH else 404)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return  # quiet: the test prints its own table

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{PATH}"

    def start(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _record(self, headers: dict[str, str], body: bytes) -> None:
        lower = {k.lower(): v for k, v in headers.items()}
        ts = lower.get("x-agent-assist-timestamp", "")
        expected = sign(self.secret, ts, body)
        ok = hmac.compare_digest(expected, lower.get("x-agent-assist-signature", ""))
        try:
            payload = json.loads(body)
        except ValueError:
            payload = {}
        item = Received(
            event_id=lower.get("x-agent-assist-event-id", ""),
            body_id=str(payload.get("id", "")),
            type=str(payload.get("type", "")),
            delivery_id=lower.get("x-agent-assist-delivery", ""),
            signature_ok=ok,
            at=time.monotonic(),
        )
        with self._lock:
            self._received.append(item)

    def _count_cut(self) -> None:
        with self._lock:
            self._cut += 1

    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def cut(self) -> int:
        """Requests whose body ended early (the sender was killed while sending)."""
        with self._lock:
            return self._cut
