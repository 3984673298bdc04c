"""WebSocket streams (agent queue + conversation, customer), /metrics and /readyz.

The customer's socket carries customer events only (no assist payload, no internal
hand-off reason); tokens travel in the first message, never in the URL; a socket closes
when its credential ends."""

from __future__ import annotations

import pytest
from api_helpers import (
    ADMIN_KEY,
    AGENTS,
    ASSIST_KEY,
    agent_headers,
    bearer,
    live,
    start,
    token_of,
)
from starlette.websockets import WebSocketDisconnect

from api.config import Settings


def _agent_token(client, name="alice"):
    r = client.post("/v1/auth/login", json={"agent_id": name, "password": AGENTS[name]})
    return r.json()["access_token"]


def test_agent_and_customer_streams_get_live_events(client):
    cid, me = start(client)
    atoken = _agent_token(client)
    with (
        live(client, f"/v1/ws/agent?conversation_id={cid}", atoken) as agent,
        live(client, f"/v1/ws/conversations/{cid}", token_of(me)) as customer,
    ):
        client.post(
            f"/v1/conversations/{cid}/messages", json={"text": "I want a human"}, headers=me
        )
        seen = [agent.receive_json() for _ in range(3)]
        kinds = {(e["type"], e.get("turn", {}).get("role")) for e in seen}
        assert ("message", "customer") in kinds and ("queued", None) in kinds
        got = [customer.receive_json() for _ in range(3)]
        turns = [e["turn"] for e in got if e["type"] == "message"]
        assert [t["role"] for t in turns] == ["customer", "system"]
        assert {e["type"] for e in got} == {"message", "state"}
        # the customer's view of a turn: no reason, intent, entities or sentiment
        assert set(turns[1]) == {"id", "role", "text", "ts", "buttons"}
        assert "reason" not in str(got) and "the customer asked for a person" not in str(got)


def test_the_customer_socket_never_carries_agent_events(client):
    """While a person owns the conversation, every customer turn pushes the assist payload
    (lifetime value, tier, next best action, marketing reasons) to agents only."""
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "high value"}, headers=me)
    alice = agent_headers(client)
    client.post(f"/v1/conversations/{cid}/claim", headers=alice)
    atoken = alice["Authorization"].split()[1]
    with (
        live(client, f"/v1/ws/agent?conversation_id={cid}", atoken) as agent,
        live(client, f"/v1/ws/conversations/{cid}", token_of(me)) as customer,
    ):
        client.post(f"/v1/conversations/{cid}/messages", json={"text": "refund?"}, headers=me)
        client.post(
            f"/v1/conversations/{cid}/agent-messages", json={"text": "On it"}, headers=alice
        )
        agent_events = [agent.receive_json() for _ in range(4)]
        customer_events = [customer.receive_json() for _ in range(2)]
    assert "assist" in {e["type"] for e in agent_events}
    assert [e["type"] for e in customer_events] == ["message", "message"]
    assert [e["turn"]["text"] for e in customer_events] == ["refund?", "On it"]
    for e in customer_events:
        assert set(e) == {"id", "ts", "conversation_id", "type", "turn"}
        assert set(e["turn"]) == {"id", "role", "text", "ts", "buttons"}
    # the transcript read with the customer's token is the customer's view too
    body = client.get(f"/v1/conversations/{cid}", headers=me).json()
    assert "handoff_reason" not in body["conversation"] and "agent_id" not in body["conversation"]
    assert body["conversation"]["agent_name"] == "Alice"
    assert all(set(t) == {"id", "role", "text", "ts", "buttons"} for t in body["turns"])
    assert "high value" not in str(body)
    full = client.get(f"/v1/conversations/{cid}", headers=alice).json()
    assert full["conversation"]["handoff_reason"] == "high value"


def test_streams_refuse_the_wrong_credentials(client):
    cid, _ = start(client)
    _, other = start(client)
    with (
        pytest.raises(WebSocketDisconnect) as err,
        live(client, f"/v1/ws/conversations/{cid}", token_of(other)),
    ):
        pass
    assert err.value.code == 4403
    with pytest.raises(WebSocketDisconnect) as err, live(client, "/v1/ws/agent", "bad"):
        pass
    assert err.value.code == 4401
    with pytest.raises(WebSocketDisconnect), live(client, "/v1/ws/agent", token_of(other)):
        pass


def test_a_token_in_the_url_is_refused(client):
    cid, me = start(client)
    url = f"/v1/ws/conversations/{cid}?token={token_of(me)}"
    with pytest.raises(WebSocketDisconnect) as err, client.websocket_connect(url) as ws:
        ws.receive_json()
    assert err.value.code == 4400


def test_a_socket_without_an_auth_message_is_closed(make_client):
    settings = Settings(
        demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, ws_auth_timeout_s=0.2
    )
    client = make_client(settings=settings)
    with pytest.raises(WebSocketDisconnect) as err, client.websocket_connect("/v1/ws/agent") as ws:
        ws.receive_json()
    assert err.value.code == 4401


def test_logout_closes_the_agents_socket_and_ends_the_token(client):
    atoken = _agent_token(client)
    with live(client, "/v1/ws/agent", atoken) as ws:
        r = client.post("/v1/auth/logout", headers=bearer(atoken))
        assert r.status_code == 204
        with pytest.raises(WebSocketDisconnect) as err:
            ws.receive_json()
    assert err.value.code == 4401
    assert client.get("/v1/handoff/queue", headers=bearer(atoken)).status_code == 401


def test_deactivation_closes_open_sockets_and_refuses_the_token(client):
    atoken = _agent_token(client, "bob")
    with live(client, "/v1/ws/agent", atoken) as ws:
        r = client.post("/v1/agents/bob/deactivate", headers=bearer(ADMIN_KEY))
        assert r.status_code == 200 and r.json()["active"] is False
        with pytest.raises(WebSocketDisconnect) as err:
            ws.receive_json()
    assert err.value.code == 4401
    assert client.get("/v1/handoff/queue", headers=bearer(atoken)).status_code == 401
    r = client.post("/v1/auth/login", json={"agent_id": "bob", "password": AGENTS["bob"]})
    assert r.status_code == 401


def test_a_revoked_key_loses_its_socket_and_its_access(client):
    created = client.post(
        "/v1/api-keys", json={"name": "crm", "scopes": ["assist"]}, headers=bearer(ADMIN_KEY)
    ).json()
    key = created["key"]
    keys = client.get("/v1/api-keys", headers=bearer(ADMIN_KEY)).json()
    assert {k["id"] for k in keys} >= {created["id"]} and "key" not in keys[0]
    with live(client, "/v1/ws/agent", key) as ws:
        r = client.delete(f"/v1/api-keys/{created['id']}", headers=bearer(ADMIN_KEY))
        assert r.status_code == 204
        with pytest.raises(WebSocketDisconnect) as err:
            ws.receive_json()
    assert err.value.code == 4401
    assert client.get("/v1/handoff/queue", headers=bearer(key)).status_code == 401


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


def test_the_assist_push_is_built_only_while_someone_watches_the_conversation(client, monkeypatch):
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    builder = client.app.state.services.assist
    built: list[str] = []
    real = builder.build

    def counting(*args, **kwargs):
        built.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(builder, "build", counting)
    say = f"/v1/conversations/{cid}/messages"
    assert client.post(say, json={"text": "refund?"}, headers=me).status_code == 200
    assert built == []  # nobody has it open: no retrieval, no ranking for a push
    atoken = _agent_token(client)
    # the panel that opens it later asks for the payload of the turn that states the issue
    body = client.get(f"/v1/conversations/{cid}/assist", headers=bearer(atoken)).json()
    assert body["text"] == "refund?" and built == ["refund?"]
    with live(client, f"/v1/ws/agent?conversation_id={cid}", atoken) as ws:
        client.post(say, json={"text": "my refund for the jacket"}, headers=me)
        events = [ws.receive_json() for _ in range(3)]
    assert "assist" in {e["type"] for e in events}
    assert built[-1] == "my refund for the jacket"


def test_agent_panel_gets_the_assist_payload_while_a_person_owns_it(client):
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    atoken = _agent_token(client)
    with live(client, f"/v1/ws/agent?conversation_id={cid}", atoken) as ws:
        client.post(f"/v1/conversations/{cid}/messages", json={"text": "refund?"}, headers=me)
        events = [ws.receive_json() for _ in range(3)]
    (assist,) = [e for e in events if e["type"] == "assist"]
    assert assist["payload"]["intent"]["name"] == "get_refund"
    assert assist["payload"]["customer_context"]["name"] == "Emma Stone"
    assert assist["payload"]["handoff"]["state"] == "queued"


def test_a_socket_sends_only_its_audiences_typed_events(client):
    """Belt and braces behind the topics: were an agent event ever published on a customer
    topic (a bug), the customer's socket would drop it, because it checks every event
    against the customer union (which forbids an agent's view of a turn)."""
    from api.hub_events import (
        AGENT_WIRE,
        CUSTOMER_WIRE,
        AgentMessage,
        AgentTurn,
        CustomerState,
        customer_topic,
    )

    cid, me = start(client)

    class Misrouted(AgentMessage):
        def topics(self) -> list[str]:
            return [customer_topic(cid)]

    hub = client.app.state.services.hub
    turn = AgentTurn(
        id="t1",
        role="customer",
        text="x",
        ts="2026-11-30T10:00:00Z",
        intent="get_refund",
        attributes={"sentiment": {"compound": -0.9}},
    )
    with live(client, f"/v1/ws/conversations/{cid}", token_of(me)) as customer:
        client.portal.call(
            hub.publish,
            [
                Misrouted(conversation_id=cid, turn=turn),
                CustomerState(conversation_id=cid, state="queued", version=1),
            ],
        )
        got = customer.receive_json()
    assert got["type"] == "state" and got["state"] == "queued"  # the misrouted one was dropped
    agent_view = Misrouted(conversation_id=cid, turn=turn).model_dump(mode="json")
    assert AGENT_WIRE.validate_python(agent_view).type == "message"
    with pytest.raises(ValueError):
        CUSTOMER_WIRE.validate_python(agent_view)


def test_the_socket_events_are_published_in_the_openapi_document(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    customer = schemas["CustomerWsEvent"]["discriminator"]["mapping"]
    agent = schemas["AgentWsEvent"]["discriminator"]["mapping"]
    assert set(customer) == {"message", "state"}
    assert set(agent) == {"message", "assist", "state", "queued", "customer_message"}
    assert agent["assist"] == "#/components/schemas/AssistEvent"
    assert "intent" not in schemas["CustomerTurn"]["properties"]
