"""WebSocket streams (agent queue + conversation, customer), /metrics and /readyz."""

from __future__ import annotations

import pytest
from api_helpers import AGENTS, agent_headers, start
from starlette.websockets import WebSocketDisconnect


def _agent_token(client, name="alice"):
    r = client.post("/v1/auth/login", json={"agent_id": name, "password": AGENTS[name]})
    return r.json()["access_token"]


def test_agent_and_customer_streams_get_live_events(client):
    cid, me = start(client)
    ctoken = me["Authorization"].split()[1]
    atoken = _agent_token(client)
    with (
        client.websocket_connect(f"/v1/ws/agent?token={atoken}&conversation_id={cid}") as agent,
        client.websocket_connect(f"/v1/ws/conversations/{cid}?token={ctoken}") as customer,
    ):
        assert agent.receive_json()["type"] == "subscribed"
        assert customer.receive_json()["type"] == "subscribed"
        client.post(
            f"/v1/conversations/{cid}/messages", json={"text": "I want a human"}, headers=me
        )
        seen = [agent.receive_json() for _ in range(3)]
        kinds = {(e["type"], e.get("turn", {}).get("role")) for e in seen}
        assert ("message", "customer") in kinds and ("queued", None) in kinds
        got = [customer.receive_json() for _ in range(2)]
        assert [e["turn"]["role"] for e in got] == ["customer", "system"]
        assert got[1]["turn"]["attributes"]["reason"] == "the customer asked for a person"


def test_streams_refuse_the_wrong_credentials(client):
    cid, _ = start(client)
    _, other = start(client)
    otoken = other["Authorization"].split()[1]
    url = f"/v1/ws/conversations/{cid}?token={otoken}"
    with pytest.raises(WebSocketDisconnect) as err, client.websocket_connect(url) as ws:
        ws.receive_json()
    assert err.value.code == 4403
    with (
        pytest.raises(WebSocketDisconnect) as err,
        client.websocket_connect("/v1/ws/agent?token=bad") as ws,
    ):
        ws.receive_json()
    assert err.value.code == 4401
    url = f"/v1/ws/agent?token={otoken}"
    with pytest.raises(WebSocketDisconnect), client.websocket_connect(url) as ws:
        ws.receive_json()


def test_metrics_and_readiness(client, fake_bot):
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/messages", json={"text": "refund"}, headers=me)
    m = client.get("/metrics")
    assert m.status_code == 200
    assert "agent_assist_customer_turns_total" in m.text
    assert "agent_assist_request_seconds" in m.text
    checks = client.get("/readyz").json()["checks"]
    assert checks["store"] == "reachable" and checks["bot"] == "reachable"
    fake_bot.fail = True
    assert client.get("/readyz").json()["checks"]["bot"] == "unreachable"
    assert agent_headers(client)  # log-in still works


def test_agent_panel_gets_the_assist_payload_while_a_person_owns_it(client):
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    atoken = _agent_token(client)
    with client.websocket_connect(f"/v1/ws/agent?token={atoken}&conversation_id={cid}") as ws:
        ws.receive_json()
        client.post(f"/v1/conversations/{cid}/messages", json={"text": "refund?"}, headers=me)
        events = [ws.receive_json() for _ in range(3)]
    (assist,) = [e for e in events if e["type"] == "assist"]
    assert assist["payload"]["intent"]["name"] == "get_refund"
    assert assist["payload"]["customer_context"]["name"] == "Emma Stone"
    assert assist["payload"]["handoff"]["state"] == "queued"
