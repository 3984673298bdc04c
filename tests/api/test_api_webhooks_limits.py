"""Outbound webhooks (HMAC-signed, retried with backoff, logged) and the per-credential
rate limit (429 with Retry-After)."""

from __future__ import annotations

import json
import time

import httpx
from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, start

from api.config import Settings
from api.ratelimit import RateLimiter
from api.webhooks import WebhookDispatcher, sign

SECRET = "whsec-test"


def _wait_for(predicate, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_signature_is_hmac_sha256_of_timestamp_and_body():
    assert sign("k", "1", b"{}") == sign("k", "1", b"{}")
    assert sign("k", "1", b"{}") != sign("k", "2", b"{}")
    assert sign("k", "1", b"{}").startswith("sha256=")


def test_handoff_events_are_delivered_signed_after_retries(make_client, history):
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(503 if len(received) < 3 else 200)

    hooks = WebhookDispatcher(
        history.engine,
        ["http://ccaas.test/hook"],
        SECRET,
        max_attempts=4,
        backoff_s=0.01,
        transport=httpx.MockTransport(handler),
    )
    client = make_client(webhooks=hooks)
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "r"}, headers=me)
    assert _wait_for(lambda: len(received) >= 3)
    req = received[-1]
    ts = req.headers["X-Agent-Assist-Timestamp"]
    assert req.headers["X-Agent-Assist-Signature"] == sign(SECRET, ts, req.content)
    body = json.loads(req.content)
    assert body["type"] == "queued" and body["conversation_id"] == cid
    assert _wait_for(
        lambda: (
            client.get("/v1/webhooks/deliveries", headers=bearer(ADMIN_KEY)).json()[0]["status"]
            == "delivered"
        )
    )
    (log,) = client.get("/v1/webhooks/deliveries", headers=bearer(ADMIN_KEY)).json()
    assert log["attempts"] == 3 and log["event_type"] == "queued"
    assert client.get("/v1/webhooks/deliveries", headers=bearer(ASSIST_KEY)).status_code == 403


def test_delivery_gives_up_after_max_attempts(make_client, history):
    hooks = WebhookDispatcher(
        history.engine,
        ["http://ccaas.test/hook"],
        SECRET,
        max_attempts=2,
        backoff_s=0.0,
        transport=httpx.MockTransport(lambda r: httpx.Response(500)),
    )
    client = make_client(webhooks=hooks)
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/close", json={}, headers=me)

    def failed():
        rows = client.get("/v1/webhooks/deliveries", headers=bearer(ADMIN_KEY)).json()
        return rows and rows[0]["status"] == "failed"

    assert _wait_for(failed)
    row = client.get("/v1/webhooks/deliveries", headers=bearer(ADMIN_KEY)).json()[0]
    assert row["attempts"] == 2 and row["last_error"] == "HTTP 500"


def test_token_bucket():
    rl = RateLimiter(60, burst=2)
    assert rl.check("k", now=0.0) == 0 and rl.check("k", now=0.0) == 0
    assert rl.check("k", now=0.0) > 0
    assert rl.check("other", now=0.0) == 0
    assert rl.check("k", now=1.5) == 0  # refilled


def test_rate_limit_is_429_with_retry_after(make_client):
    client = make_client(
        settings=Settings(
            demo_api_key=ASSIST_KEY,
            demo_admin_key=ADMIN_KEY,
            rasa_url=None,
            rate_limit_per_minute=6,
        )
    )
    h = agent_headers(client)
    codes = [client.get("/v1/handoff/queue", headers=h).status_code for _ in range(3)]
    assert codes[0] == 200 and codes[-1] == 429
    r = client.get("/v1/handoff/queue", headers=h)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.json()["error"]["code"] == "rate_limited"
    # another credential has its own bucket
    assert client.get("/v1/handoff/queue", headers=bearer(ASSIST_KEY)).status_code == 200
