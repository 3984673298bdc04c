"""WebSockets and secrets against a real server: the customer's socket carries customer
events only (never an assist payload, never the internal hand-off reason) while the
agent's socket gets them; a token in a WebSocket URL is refused; no credential or
password that a run of requests used reaches the server's log, wherever the client put it."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from security_helpers import (
    ADMIN_KEY,
    ASSIST_KEY,
    ApiServer,
    Frames,
    close_code,
    create_agent,
    customer_says,
    login,
    send_auth,
    start_conversation,
    ws_open,
)

pytestmark = pytest.mark.integration

# what only agents may see of a turn or an ownership change
AGENT_ONLY_KEYS = {"intent", "attributes", "analysis", "reason", "actor", "agent_id", "payload"}
TOKEN_SHAPE = re.compile(r"\b(?:at|ct|ak)_[A-Za-z0-9_-]{16,}")


def _keys(value: object) -> set[str]:
    """Every key of every object nested in `value`."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_the_customer_socket_never_carries_assist_or_the_handoff_reason(api_server: ApiServer):
    conversation_id, customer = start_conversation(api_server, "C-0004")
    alice = login(api_server)
    reason = f"internal: churn risk, flagged by the retention team #{uuid.uuid4().hex[:8]}"
    marker = f"last words {uuid.uuid4().hex[:8]}"
    agent_path = f"/v1/ws/agent?conversation_id={conversation_id}"
    with (
        Frames(api_server, agent_path, alice) as agent,
        Frames(api_server, f"/v1/ws/conversations/{conversation_id}", customer) as cust,
    ):
        with api_server.client(ASSIST_KEY) as c:  # CCaaS software hands off, with its reason
            r = c.post(f"/v1/conversations/{conversation_id}/handoff", json={"reason": reason})
            assert r.status_code == 200 and r.json()["state"] == "queued", r.text
        with api_server.client(alice) as c:
            assert c.post(f"/v1/conversations/{conversation_id}/claim").status_code == 200
        out = customer_says(
            api_server, conversation_id, customer, "my new phone STILL won't activate!!"
        )
        assert out["state"] == "human"
        assert not {"analysis", "handoff_reason"} & set(out), out  # the customer's view
        with api_server.client(alice) as c:
            r = c.post(f"/v1/conversations/{conversation_id}/agent-messages", json={"text": marker})
            assert r.status_code == 201, r.text

        # the agent got the assist payload, the reason and the full turns...
        agent.wait_for("assist event", lambda f: f.get("type") == "assist")
        agent.wait_for("queued event", lambda f: f.get("type") == "queued")
        assert reason in json.dumps(agent.snapshot())
        # ...and the customer everything meant for them: the marker comes last, and a
        # socket delivers in order, so nothing published before it is still on its way
        cust.wait_for(
            "the agent's message",
            lambda f: f.get("type") == "message" and f["turn"]["text"] == marker,
        )
        frames, raw = cust.snapshot(), "\n".join(cust.raw)

    assert {f["type"] for f in frames} <= {"subscribed", "message", "state"}, frames
    assert "assist" not in raw and reason not in raw, raw
    assert not _keys(frames) & AGENT_ONLY_KEYS, frames
    texts = [f["turn"]["text"] for f in frames if f["type"] == "message"]
    assert texts[-2:] == ["my new phone STILL won't activate!!", marker]

    with api_server.client(customer) as c:  # the transcript, as the customer reads it
        body = c.get(f"/v1/conversations/{conversation_id}").json()
    assert reason not in json.dumps(body) and not _keys(body["turns"]) & AGENT_ONLY_KEYS


def test_a_customer_token_opens_no_agent_stream_and_no_other_conversation(api_server: ApiServer):
    theirs, _ = start_conversation(api_server)
    mine, token = start_conversation(api_server)
    for path in ("/v1/ws/agent", f"/v1/ws/agent?conversation_id={mine}"):
        ws = ws_open(api_server, path)
        send_auth(ws, token)
        assert close_code(ws) == 4403, path
    ws = ws_open(api_server, f"/v1/ws/conversations/{theirs}")
    send_auth(ws, token)
    assert close_code(ws) == 4403


def test_tokens_never_travel_in_urls_and_never_reach_the_log(api_server: ApiServer):
    with api_server.client(ADMIN_KEY) as c:
        r = c.post("/v1/api-keys", json={"name": "log probe", "scopes": ["assist"]})
        assert r.status_code == 201, r.text
        key = r.json()["key"]
    agent = f"dora-{uuid.uuid4().hex[:6]}"
    password = create_agent(api_server, agent)
    wrong_password = "Wrong-" + uuid.uuid4().hex
    with api_server.client() as c:
        r = c.post("/v1/auth/login", json={"agent_id": agent, "password": wrong_password})
        assert r.status_code == 401
    agent_token = login(api_server, agent, password)
    with api_server.client(key) as c:
        r = c.post("/v1/conversations", json={"customer_id": "C-0001"})
        assert r.status_code == 201, r.text
        conversation_id, customer = r.json()["conversation"]["id"], r.json()["token"]
    secrets = {
        "API key": key,
        "agent token": agent_token,
        "customer token": customer,
        "password": password,
        "wrong password": wrong_password,
    }

    # credentials in headers (Bearer and X-API-Key), as they belong
    for token in (key, agent_token, customer):
        with api_server.client(token) as c:
            assert c.get(f"/v1/conversations/{conversation_id}").status_code == 200
    with api_server.client() as c:
        r = c.get("/v1/handoff/queue", headers={"X-API-Key": key})
        assert r.status_code == 200
        # where they do not belong: a query string, a path (both reach the access log)
        r = c.get("/v1/handoff/queue", params={"token": agent_token, "api_key": key})
        assert r.status_code == 401
        assert c.get(f"/v1/conversations/{customer}").status_code == 401
        r = c.get(f"/v1/conversations/{customer}", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 404
        r = c.get("/v1/handoff/queue", headers={"Authorization": f"Bearer at_{uuid.uuid4().hex}"})
        assert r.status_code == 401

    # WebSockets: the first message authenticates; a token in the URL is refused (4400)
    with Frames(api_server, f"/v1/ws/agent?conversation_id={conversation_id}", agent_token):
        pass
    with Frames(api_server, f"/v1/ws/conversations/{conversation_id}", customer):
        pass
    attempts = {
        "/v1/ws/agent?token=": agent_token,
        f"/v1/ws/conversations/{conversation_id}?token=": customer,
        f"/v1/ws/agent?conversation_id={conversation_id}&token=": key,
    }
    for path, token in attempts.items():
        ws = ws_open(api_server, path + token)
        send_auth(ws, token)  # even with a valid first message
        assert close_code(ws) == 4400, path

    with api_server.client(agent_token) as c:
        assert c.post("/v1/auth/logout").status_code == 204

    log = api_server.log_text()
    assert "token=[secret]" in log  # the URL attempts were logged, masked
    leaked = [name for name, secret in secrets.items() if secret in log]
    assert not leaked, f"in the server log: {leaked}"
    assert not TOKEN_SHAPE.findall(log), TOKEN_SHAPE.findall(log)[:5]
    assert '"POST /v1/auth/logout HTTP/1.1" 204' in log  # the access log is on


def test_a_masked_request_line_is_still_an_access_log_line(api_server: ApiServer):
    """The mask keeps uvicorn's access log working: a request whose URL holds a token is
    logged as any other, with the token masked (not as a logging error with a stack)."""
    probe = f"/v1/handoff/queue?probe={uuid.uuid4().hex[:8]}&token=ct_{uuid.uuid4().hex}"
    with api_server.client() as c:
        assert c.get(probe).status_code == 401
    masked = probe.split("&token=")[0] + "&token=[secret]"
    log = api_server.log_text()
    failed = log.count("--- Logging error ---")
    first = log[log.find("--- Logging error ---") :][:2500]
    assert not failed, f"{failed} log records could not be formatted; the first:\n{first}"
    assert f'"GET {masked} HTTP/1.1" 401 Unauthorized' in log
