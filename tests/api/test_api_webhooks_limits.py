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
CCAAS = bearer(ASSIST_KEY)


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


def _queued(client):
    return [d for d in _log(client) if d["event_type"] == "conversation.queued"]


def test_signature_is_hmac_sha256_of_timestamp_and_body():
    assert sign("k", "1", b"{}") == sign("k", "1", b"{}")
    assert sign("k", "1", b"{}") != sign("k", "2", b"{}")
    assert sign("k", "1", b"{}").startswith("sha256=")


def test_handoff_events_are_delivered_signed_after_retries(make_client, history):
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content)["type"] != "conversation.queued":
            return httpx.Response(200)  # messages are delivered too; not this test's
        received.append(request)
        return httpx.Response(503 if len(received) < 3 else 200)

    client = make_client(webhooks=_dispatcher(history, handler))
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "r"}, headers=me)
    assert _wait_for(lambda: _queued(client) and _queued(client)[0]["status"] == "delivered")
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
    (log,) = _queued(client)
    assert log["attempts"] == 3 and log["event_type"] == "conversation.queued"
    assert log["event_id"] == body["id"]
    assert client.get("/v1/webhooks/deliveries", headers=bearer(ASSIST_KEY)).status_code == 403


def test_each_state_change_is_delivered_once(make_client, history):
    received: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        event = json.loads(request.content)
        if event["type"].startswith("conversation."):
            received.append(event)
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

    def closed():
        return [d for d in _log(client) if d["event_type"] == "conversation.closed"]

    assert _wait_for(lambda: closed() and closed()[0]["status"] == "failed")
    row = closed()[0]
    assert row["attempts"] == 2 and row["last_error"] == "HTTP 500"


def test_pending_deliveries_resume_after_a_restart(make_client, history):
    """A receiver down while the service stops: the delivery stays in the outbox and the
    next start sends it, once, with the same event id."""
    down = _dispatcher(history, lambda r: httpx.Response(503), backoff_s=0.05, max_attempts=5)
    first = make_client(webhooks=down)
    cid, me = start(first)
    first.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    assert _wait_for(lambda: _queued(first) and _queued(first)[0]["attempts"] >= 1)
    first.__exit__(None, None, None)  # the service stops with the delivery pending
    pending = [d for d in down.deliveries() if d.event_type == "conversation.queued"]
    assert pending[0].status == "pending"

    received: list[dict] = []

    def up(request: httpx.Request) -> httpx.Response:
        event = json.loads(request.content)
        if event["type"] == "conversation.queued":
            received.append(event)
        return httpx.Response(200)

    second = make_client(webhooks=_dispatcher(history, up))
    assert _wait_for(lambda: _queued(second)[0]["status"] == "delivered")
    time.sleep(0.3)
    assert [e["type"] for e in received] == ["conversation.queued"]
    assert received[0]["id"] == _queued(second)[0]["event_id"]


def test_every_turn_is_a_message_created_event(make_client, history):
    received: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(200)

    client = make_client(webhooks=_dispatcher(history, handler))
    cid, me = start(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages",
        json={"text": "refund to 4111 1111 1111 1111"},
        headers=me,
    )
    assert r.status_code == 200

    def messages():
        return [e for e in received if e["type"] == "message.created"]

    assert _wait_for(lambda: len(messages()) >= 2)
    roles = [e["turn"]["role"] for e in messages()]
    assert roles[:2] == ["customer", "bot"]
    customer = messages()[0]
    assert customer["conversation_id"] == cid and customer["customer_id"] == "C-1"
    assert "4111 1111" not in json.dumps(received)  # redacted before it was stored


def test_admin_subscriptions_sign_with_their_own_secret_and_filter_events(make_client, history):
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200)

    hooks = WebhookDispatcher(
        history.engine, [], SECRET, transport=httpx.MockTransport(handler), poll_s=0.05
    )
    client = make_client(webhooks=hooks)
    admin = bearer(ADMIN_KEY)
    url = "https://93.184.216.34/hooks/closed"  # a public address: no DNS needed here
    body = {"url": url, "events": ["conversation.closed"]}
    assert client.post("/v1/webhooks/subscriptions", json=body, headers=CCAAS).status_code == 403
    r = client.post("/v1/webhooks/subscriptions", json=body, headers=admin)
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["secret"].startswith("whsec_")
    listed = client.get("/v1/webhooks/subscriptions", headers=admin).json()
    assert [s["id"] for s in listed] == [sub["id"]] and "secret" not in listed[0]
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/messages", json={"text": "hi"}, headers=me)
    client.post(f"/v1/conversations/{cid}/close", json={}, headers=me)
    assert _wait_for(lambda: len(received) >= 1)
    time.sleep(0.3)  # nothing else may come: messages are not subscribed
    (req,) = received
    assert str(req.url) == url and json.loads(req.content)["type"] == "conversation.closed"
    ts = req.headers["X-Agent-Assist-Timestamp"]
    assert req.headers["X-Agent-Assist-Signature"] == sign(sub["secret"], ts, req.content)
    assert sign(SECRET, ts, req.content) != req.headers["X-Agent-Assist-Signature"]
    r = client.delete(f"/v1/webhooks/subscriptions/{sub['id']}", headers=admin)
    assert r.status_code == 204
    assert client.get("/v1/webhooks/subscriptions", headers=admin).json()[0]["active"] is False


def test_subscriptions_cannot_target_this_machine_or_a_private_network(make_client):
    client = make_client()
    admin = bearer(ADMIN_KEY)
    for url in [
        "http://127.0.0.1:8000/v1/agents",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "ftp://93.184.216.34/hook",
        "https://user:pw@93.184.216.34/hook",
    ]:
        r = client.post(
            "/v1/webhooks/subscriptions", json={"url": url, "events": ["*"]}, headers=admin
        )
        assert r.status_code == 422, url
        assert "url refused" in r.json()["error"]["message"]
    r = client.post(
        "/v1/webhooks/subscriptions",
        json={"url": "https://93.184.216.34/h", "events": ["no.such"]},
        headers=admin,
    )
    assert r.status_code == 422 and "unknown event types" in r.json()["error"]["message"]


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
