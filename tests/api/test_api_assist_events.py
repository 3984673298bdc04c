"""Agent assist (conversation and stateless), events ingestion, customer context and
timeline, over a real SQLite history and a real AgentAssist (HashingEncoder)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, start

PAYLOAD_KEYS = {
    "intent",
    "entities",
    "sentiment",
    "journey_stage",
    "customer_context",
    "suggestions",
    "knowledge_articles",
    "next_best_action",
    "handoff",
    "warnings",
}


def test_stateless_assist_payload(client):
    r = client.post(
        "/v1/assist",
        json={
            "customer_id": "C-1",
            "turns": [
                {"role": "agent", "text": "hello"},
                {"role": "customer", "text": "where is my order ORD-100234??"},
            ],
        },
        headers=bearer(ASSIST_KEY),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= PAYLOAD_KEYS
    assert body["intent"]["name"] == "track_order" and body["intent"]["ranking"]
    assert any(e["type"] == "order_number" for e in body["entities"])
    assert body["customer_context"]["name"] == "Emma Stone"
    assert body["customer_context"]["open_orders"][0]["id"] == "ORD-100234"
    assert body["journey_stage"]["stage"] and "evidence" in body["journey_stage"]
    assert "marketing_allowed" in body["next_best_action"]
    assert body["handoff"] is None and body["warnings"] == []


def test_stateless_assist_bad_input(client):
    h = bearer(ASSIST_KEY)
    r = client.post("/v1/assist", json={"turns": [{"role": "agent", "text": "hi"}]}, headers=h)
    assert r.status_code == 422 and "customer message" in r.json()["error"]["message"]
    r = client.post(
        "/v1/assist",
        json={"customer_id": "C-9", "turns": [{"role": "customer", "text": "refund"}]},
        headers=h,
    )
    assert r.status_code == 404
    r = client.post(
        "/v1/assist", json={"turns": [{"role": "customer", "text": "x"}] * 21}, headers=h
    )
    assert r.status_code == 413


def test_conversation_assist_includes_handoff_state(client):
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/messages", json={"text": "I want a refund"}, headers=me)
    client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "x"}, headers=me)
    r = client.get(f"/v1/conversations/{cid}/assist", headers=agent_headers(client))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["intent"]["name"] == "get_refund"
    assert body["handoff"]["state"] == "queued" and body["handoff"]["reason"] == "x"


def test_assist_works_on_the_issue_not_on_the_request_for_a_person(client):
    cid, me = start(client)
    for text in ("where is my order ORD-100234", "I want a human"):
        client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=me)
    h = agent_headers(client)
    packet = client.get(f"/v1/conversations/{cid}/handoff", headers=h).json()["packet"]
    assert packet["reason"] == "the customer asked for a person"
    body = client.get(f"/v1/conversations/{cid}/assist", headers=h).json()
    assert body["text"] == "where is my order ORD-100234"
    assert body["intent"]["name"] == "track_order"
    # with nothing but conversational turns, the latest customer turn it is
    cid2, me2 = start(client)
    client.post(f"/v1/conversations/{cid2}/messages", json={"text": "I want a human"}, headers=me2)
    body = client.get(f"/v1/conversations/{cid2}/assist", headers=h).json()
    assert body["text"] == "I want a human" and body["intent"]["name"] == "contact_human_agent"


def test_assist_without_retrieval_degrades_with_a_warning(make_client):
    client = make_client(assistant=None)
    r = client.post(
        "/v1/assist",
        json={"customer_id": "C-1", "turns": [{"role": "customer", "text": "refund please"}]},
        headers=bearer(ASSIST_KEY),
    )
    assert r.status_code == 200
    body = r.json()
    assert body["intent"]["name"] == "get_refund"
    assert body["customer_context"] is None and body["warnings"]


TS = (datetime.now(UTC) - timedelta(hours=1)).isoformat()


def _event(i: str, **kw):
    ts = TS
    return {"id": i, "customer_id": "C-1", "channel": "web", "type": "page_view", "ts": ts} | kw


def test_event_ingestion_is_idempotent(client):
    h = bearer(ADMIN_KEY)
    r = client.post("/v1/events", json=_event("e-1"), headers=h)
    assert r.status_code == 200 and r.json()["status"] == "created"
    assert client.post("/v1/events", json=_event("e-1"), headers=h).json()["status"] == "duplicate"
    r = client.post("/v1/events", json=_event("e-1", type="other"), headers=h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "event_conflict"
    batch = {"events": [_event("e-2"), _event("e-1"), _event("e-3", channel="fax")]}
    r = client.post("/v1/events:batch", json=batch, headers=h)
    assert r.status_code == 200
    body = r.json()
    assert (body["created"], body["duplicates"], body["errors"]) == (1, 1, 1)
    assert (
        client.post("/v1/events:batch", json=batch | {"atomic": True}, headers=h).status_code == 422
    )
    r = client.post("/v1/events", json=_event("e-9", channel="fax"), headers=h)
    assert r.status_code == 422


def test_customer_context_and_timeline(client):
    client.post(
        "/v1/events", json=_event("e-10", text="looked at phones"), headers=bearer(ADMIN_KEY)
    )
    h = agent_headers(client)
    ctx = client.get("/v1/customers/C-1/context", headers=h).json()
    assert ctx["name"] == "Emma Stone" and ctx["stage"]["stage"]
    tl = client.get("/v1/customers/C-1/timeline", headers=h).json()
    assert tl["events"][0]["id"] == "e-10" and tl["journey_stage"]["stage"]
    assert client.get("/v1/customers/C-404/context", headers=h).status_code == 404


def test_customer_orders_for_the_bot(client):
    bot = bearer(ASSIST_KEY)
    body = client.get("/v1/customers/C-1/orders", headers=bot).json()
    assert body["customer"]["first_name"] == "Emma" and body["customer"]["tier"] == "gold"
    (order,) = body["orders"]
    assert order["id"] == "ORD-100234" and order["status"] == "shipped"
    assert order["is_open"] is True and order["summary"] == "Phone X" and order["eta"]
    assert client.get("/v1/customers/C-404/orders", headers=bot).status_code == 404
    assert client.get("/v1/customers/C-1/orders").status_code in (401, 403)
