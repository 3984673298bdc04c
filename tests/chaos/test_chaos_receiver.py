"""The chaos test's webhook receiver: a request cut off mid-body (its sender SIGKILLed) is
no delivery, as for any HTTP framework; a whole one is checked and recorded."""

from __future__ import annotations

import json
import socket
import time

from chaos_receiver import PATH, WebhookReceiver

from api.webhooks import sign


def _send(port: int, head: dict[str, str], body: bytes, length: int) -> None:
    lines = [f"POST {PATH} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {length}"]
    lines += [f"{k}: {v}" for k, v in head.items()]
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        if len(body) == length:
            s.recv(1024)  # the answer of a whole request
        # else: closed mid-body, as a killed process's socket is


def _wait(receiver: WebhookReceiver, received: int, cut: int) -> None:
    for _ in range(500):  # the handler runs in the server's thread
        if len(receiver.received()) >= received and receiver.cut() >= cut:
            return
        time.sleep(0.01)


def test_a_request_cut_off_mid_body_is_counted_apart_and_a_whole_one_is_checked():
    receiver = WebhookReceiver("secret").start()
    try:
        port = int(receiver.url.split(":")[2].split("/")[0])
        body = json.dumps({"id": "evt_1", "type": "message.created"}).encode()
        head = {
            "X-Agent-Assist-Timestamp": "1",
            "X-Agent-Assist-Signature": sign("secret", "1", body),
            "X-Agent-Assist-Event-Id": "evt_1",
        }
        _send(port, head, body[:10], len(body))
        _send(port, head, body, len(body))
        _wait(receiver, received=1, cut=1)
        assert receiver.cut() == 1
        (got,) = receiver.received()
        assert got.event_id == got.body_id == "evt_1" and got.signature_ok
    finally:
        receiver.stop()
