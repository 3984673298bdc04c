"""Outbound webhooks through the durable outbox (HMAC-signed, one delivery per event and
URL with a stable event id, retried with backoff, resumed after a restart, logged) and the
rate limits (per credential, per address; 429 with Retry-After; entries expire)."""

from __future__ import annotations

import json
import time

import httpx
from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, start

from api.config import Settings
from api.throttle import Throttle
from api.webhooks import WebhookDispatcher, sign

SECRET = "whsec-test"
HOOK = "http://ccaas.test/hook"


def _wait_for(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _dispatcher(history, handler, **kw) -> WebhookDispatcher:
    kw = {"max_attempts": 4, "backoff_s": 0.01, "poll_s": 0.05} | kw
    return WebhookDispatcher(
        history.engine, [HOOK], SECRET, transport=httpx.MockTransport(handler), **kw
    )


def _log(client):
    return client.get("/v1/webhooks/deliveries", headers=bearer(ADMIN_KEY)).json()


def test_signature_is_hmac_sha256_of_timestamp_and_body():
    assert sign("k", "1", b"{}") == sign("k", "1", b"{}")
    assert sign("k", "1", b"{}") != sign("k", "2", b"{}")
    assert sign("k", "1", b"{}").startswith("sha256=")


def test_handoff_events_are_delivered_signed_after_retries(make_client, history):
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(503 if len(received) < 3 else 200)

    client = make_client(webhooks=_dispatcher(history, handler))
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "r"}, headers=me)
    assert _wait_for(lambda: _log(client) and _log(client)[0]["status"] == "delivered")
    assert len(received) == 3
    req = received[-1]
    ts = req.headers["X-Agent-Assist-Timestamp"]
    assert req.headers["X-Agent-Assist-Signature"] == sign(SECRET, ts, req.content)
    body = json.loads(req.content)
    assert body["type"] == "conversation.queued" and body["conversation_id"] == cid
    assert body["reason"] == "r" and body["previous_state"] == "bot" and body["state"] == "queued"
    # the same event id on every attempt: receivers de-duplicate on it
    ids = {json.loads(r.content)["id"] for r in received}
    assert ids == {body["id"]} and req.headers["X-Agent-Assist-Event-Id"] == body["id"]
    (log,) = _log(client)
    assert log["attempts"] == 3 and log["event_type"] == "conversation.queued"
    assert log["event_id"] == body["id"]
    assert client.get("/v1/webhooks/deliveries", headers=bearer(ASSIST_KEY)).status_code == 403


def test_each_state_change_is_delivered_once(make_client, history):
    received: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(200)

    client = make_client(webhooks=_dispatcher(history, handler))
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    alice = agent_headers(client)
    assert client.post(f"/v1/conversations/{cid}/claim", headers=alice).status_code == 200
    assert client.post(f"/v1/conversations/{cid}/close", json={}, headers=alice).status_code == 200
    assert _wait_for(lambda: len(received) >= 3)
    time.sleep(0.3)  # a duplicate, if any, would arrive now
    types = [e["type"] for e in received]
    assert types == ["conversation.queued", "conversation.claimed", "conversation.closed"]
    assert len({e["id"] for e in received}) == 3
    assert received[1]["agent_id"] == "alice" and received[2]["previous_state"] == "human"


def test_delivery_gives_up_after_max_attempts(make_client, history):
    hooks = _dispatcher(history, lambda r: httpx.Response(500), max_attempts=2, backoff_s=0.0)
    client = make_client(webhooks=hooks)
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/close", json={}, headers=me)
    assert _wait_for(lambda: _log(client) and _log(client)[0]["status"] == "failed")
    row = _log(client)[0]
    assert row["attempts"] == 2 and row["last_error"] == "HTTP 500"


def test_pending_deliveries_resume_after_a_restart(make_client, history):
    """A receiver down while the service stops: the delivery stays in the outbox and the
    next start sends it, once, with the same event id."""
    down = _dispatcher(history, lambda r: httpx.Response(503), backoff_s=0.05, max_attempts=5)
    first = make_client(webhooks=down)
    cid, me = start(first)
    first.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    assert _wait_for(lambda: _log(first) and _log(first)[0]["attempts"] >= 1)
    first.__exit__(None, None, None)  # the service stops with the delivery pending
    assert _log_rows(history)[0]["status"] == "pending"

    received: list[dict] = []

    def up(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(200)

    second = make_client(webhooks=_dispatcher(history, up))
    assert _wait_for(lambda: _log(second)[0]["status"] == "delivered")
    time.sleep(0.3)
    assert [e["type"] for e in received] == ["conversation.queued"]
    assert received[0]["id"] == _log(second)[0]["event_id"]


def _log_rows(history):
    from api.webhooks import WebhookDispatcher

    hooks = WebhookDispatcher(history.engine, [HOOK], SECRET)
    return [{"status": d.status} for d in hooks.deliveries()]


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
    codes = [client.get("/v1/handoff/queue", headers=h).status_code for _ in range(7)]
    assert codes[0] == 200 and codes[-1] == 429
    r = client.get("/v1/handoff/queue", headers=h)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
    assert r.json()["error"]["code"] == "rate_limited"
    # another credential has its own budget
    assert client.get("/v1/handoff/queue", headers=bearer(ASSIST_KEY)).status_code == 200


def test_limit_entries_expire():
    """The limiter's table does not grow without bound: keys are dropped when their
    window ends."""
    throttle = Throttle({"x": "5/second"})
    table = throttle.storage.storage  # type: ignore[attr-defined]
    for k in range(500):
        throttle.hit("x", f"203.0.113.{k}")
    assert len(table) >= 500

    later = iter(range(10_000))

    def swept() -> bool:
        throttle.hit("x", f"198.51.100.{next(later)}")  # a later hit sweeps expired entries
        return len(table) <= 250

    assert _wait_for(swept, timeout=30)
