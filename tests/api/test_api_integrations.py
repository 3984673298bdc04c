"""Integrations contact-center developers ask for first: a Rasa-compatible NLU endpoint,
and an API key that acts for a named agent of the contact-center platform (scope desk)."""

from __future__ import annotations

from api_helpers import ADMIN_KEY, ASSIST_KEY, bearer, start


def test_model_parse_answers_in_rasas_shape(client):
    r = client.post(
        "/model/parse", json={"text": "where is my order ORD-100234?", "message_id": "m1"}
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) >= {"text", "intent", "intent_ranking", "entities"}
    assert body["intent"] == {"name": "track_order", "confidence": 0.9}
    assert body["intent_ranking"][0] == body["intent"]
    (order,) = [e for e in body["entities"] if e["entity"] == "order_number"]
    assert set(order) >= {"entity", "value", "start", "end", "extractor"}
    assert order["value"] == "ORD-100234" and body["text"][order["start"] : order["end"]]
    assert body["message_id"] == "m1"
    oos = client.post("/model/parse", json={"text": "what's the weather?"}).json()
    assert oos["intent"]["name"] == "out_of_scope" and oos["intent_ranking"][0]["name"] == (
        "out_of_scope"
    )
    assert client.post("/model/parse", json={"text": ""}).status_code == 422


def _desk_key(client) -> dict[str, str]:
    r = client.post(
        "/v1/api-keys",
        json={"name": "genesys", "scopes": ["desk", "assist"]},
        headers=bearer(ADMIN_KEY),
    )
    assert r.status_code == 201, r.text
    return bearer(r.json()["key"])


def test_a_desk_key_acts_for_a_named_agent(client):
    desk = _desk_key(client)
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    as_dana = desk | {"X-Acting-Agent": "dana@ccaas"}
    r = client.post(f"/v1/conversations/{cid}/claim", headers=as_dana)
    assert r.status_code == 200 and r.json()["agent_id"] == "dana@ccaas"
    r = client.post(
        f"/v1/conversations/{cid}/agent-messages", json={"text": "Dana here"}, headers=as_dana
    )
    assert r.status_code == 201 and r.json()["attributes"]["agent_id"] == "dana@ccaas"
    # another named agent is not the owner
    as_eve = desk | {"X-Acting-Agent": "eve"}
    assert client.post(f"/v1/conversations/{cid}/close", json={}, headers=as_eve).status_code == 403
    r = client.post(f"/v1/conversations/{cid}/close", json={}, headers=as_dana)
    assert r.status_code == 200 and r.json()["state"] == "closed"
    trail = client.get(f"/v1/conversations/{cid}/transitions", headers=bearer(ASSIST_KEY)).json()
    actors = [t["actor"] for t in trail]
    assert actors[1].startswith("agent:dana@ccaas via api_key:")
    assert actors[-1].startswith("agent:dana@ccaas via api_key:")


def test_acting_for_an_agent_needs_the_desk_scope(client):
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    plain = bearer(ASSIST_KEY) | {"X-Acting-Agent": "dana"}
    r = client.post(f"/v1/conversations/{cid}/claim", headers=plain)
    assert r.status_code == 403 and "desk" in r.json()["error"]["message"]
    r = client.post(f"/v1/conversations/{cid}/claim", headers=bearer(ASSIST_KEY))
    assert r.status_code == 403 and "X-Acting-Agent" in r.json()["error"]["message"]
    bad = _desk_key(client) | {"X-Acting-Agent": "no spaces allowed"}
    assert client.post(f"/v1/conversations/{cid}/claim", headers=bad).status_code == 403
