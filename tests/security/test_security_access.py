"""Who may act, and how often, against a real server: another agent cannot write in,
hand back or close alice's conversation while a supervisor can; a brute-forced account
locks (from any number of addresses) until an admin unlocks it; anonymous conversation
starts and WebSocket connects are limited per client address. Each limit is driven from
a loopback address of its own, so the other tests keep their budget."""

from __future__ import annotations

import uuid

import pytest
from security_helpers import (
    ADMIN_KEY,
    ASSIST_KEY,
    ApiServer,
    Frames,
    close_code,
    create_agent,
    login,
    queued_conversation,
    send_auth,
    transcript,
    ws_open,
)

pytestmark = pytest.mark.integration


def _post(server: ApiServer, token: str, conversation_id: str, action: str, body: dict):
    with server.client(token) as c:
        return c.post(f"/v1/conversations/{conversation_id}/{action}", json=body)


def test_another_agent_cannot_act_on_alices_conversation_but_a_supervisor_can(
    api_server: ApiServer,
):
    bob = login(api_server, "bob", create_agent(api_server, "bob"))
    sam = login(api_server, "sam", create_agent(api_server, "sam", role="supervisor"))
    alice = login(api_server)
    first, _ = queued_conversation(api_server)
    second, _ = queued_conversation(api_server)
    for conversation_id in (first, second):
        assert _post(api_server, alice, conversation_id, "claim", {}).status_code == 200

    attempts = {
        "agent-messages": {"text": "bob was here"},
        "hand-back": {"reason": "bob says so"},
        "close": {"reason": "bob says so"},
    }
    for action, body in attempts.items():
        for token, who in ((bob, "bob"), (ASSIST_KEY, "an assist key")):
            r = _post(api_server, token, first, action, body)
            assert r.status_code == 403, (who, action, r.text)
            assert r.json()["error"]["code"] == "forbidden"
    assert _post(api_server, bob, first, "claim", {}).status_code == 409  # already taken
    with api_server.client(ADMIN_KEY) as c:
        conv = c.get(f"/v1/conversations/{first}").json()["conversation"]
    assert (conv["state"], conv["agent_id"]) == ("human", "alice")
    assert "bob was here" not in [t["text"] for t in transcript(api_server, first)]

    # a supervisor may write in, hand back and close a conversation another agent owns
    r = _post(api_server, sam, first, "agent-messages", {"text": "Sam, supervisor, here."})
    assert r.status_code == 201, r.text
    r = _post(api_server, sam, first, "hand-back", {"reason": "supervisor decision"})
    assert r.status_code == 200 and r.json()["state"] == "bot", r.text
    r = _post(api_server, bob, second, "close", {})
    assert r.status_code == 403, r.text
    r = _post(api_server, sam, second, "close", {"reason": "supervisor decision"})
    assert r.status_code == 200 and r.json()["state"] == "closed", r.text
    with api_server.client(ADMIN_KEY) as c:
        trail = c.get(f"/v1/conversations/{second}/transitions").json()
    assert (trail[-1]["action"], trail[-1]["actor"]) == ("close", "agent:sam")
    assert not [t for t in trail if t["actor"] == "agent:bob"]


def test_a_brute_forced_account_stays_locked_until_an_admin_unlocks_it(api_server: ApiServer):
    agent = f"erin-{uuid.uuid4().hex[:6]}"  # a fresh account: alice keeps working
    password = create_agent(api_server, agent)
    statuses = []
    # 60 wrong passwords, 20 from each of three addresses: under the per-address limit, so
    # only the account's own lock can stop them
    for source in ("127.0.0.11", "127.0.0.12", "127.0.0.13"):
        with api_server.client(source=source) as c:
            for k in range(20):
                r = c.post("/v1/auth/login", json={"agent_id": agent, "password": f"guess-{k}"})
                statuses.append(r.status_code)
    assert statuses[:5] == [401] * 5, statuses  # login_max_failures (5) counted failures
    assert set(statuses[5:]) == {429}, statuses  # then locked: nothing more is even tried

    with api_server.client(source="127.0.0.14") as c:  # the right password, a fresh address
        r = c.post("/v1/auth/login", json={"agent_id": agent, "password": password})
        assert r.status_code == 429, r.text
        assert "for this account" in r.json()["error"]["message"]
        assert int(r.headers["Retry-After"]) > 0
        # the lock is the account's, not the address's: alice signs in from there
        r = c.post("/v1/auth/login", json={"agent_id": "alice", "password": "demo-password"})
        assert r.status_code == 200, r.text

    with api_server.client(ADMIN_KEY) as c:
        r = c.post(f"/v1/agents/{agent}/unlock")
    assert r.status_code == 200, r.text
    assert (r.json()["failed_logins"], r.json()["locked_until"]) == (0, None)
    token = login(api_server, agent, password)
    with api_server.client(token) as c:
        assert c.get("/v1/handoff/queue").status_code == 200


def test_anonymous_conversation_starts_are_limited_per_address(api_server: ApiServer):
    statuses, last = [], None
    with api_server.client(source="127.0.0.21") as c:
        for _ in range(90):  # the limit is 30 a minute (a sliding window)
            last = c.post("/v1/conversations", json={})
            statuses.append(last.status_code)
            if last.status_code != 201:
                break
        assert last is not None and last.status_code == 429, statuses
        assert last.json()["error"]["code"] == "rate_limited"
        assert int(last.headers["Retry-After"]) > 0
        assert statuses.count(201) >= 30, statuses
        # a customer the site vouches for (with its key) is not an anonymous start
        r = c.post(
            "/v1/conversations",
            json={"customer_id": "C-0001"},
            headers={"Authorization": f"Bearer {ASSIST_KEY}"},
        )
        assert r.status_code == 201, r.text
    with api_server.client(source="127.0.0.22") as c:  # another address has its own budget
        assert c.post("/v1/conversations", json={}).status_code == 201


def test_websocket_connects_are_limited_per_address(api_server: ApiServer):
    codes: list[int | None] = []
    for _ in range(300):  # the limit is 120 a minute (a sliding window)
        ws = ws_open(api_server, "/v1/ws/agent", source="127.0.0.31")
        send_auth(ws, "not-a-credential")
        codes.append(close_code(ws))  # 4401: let in, then refused; 4429: throttled
        if codes[-1] != 4401:
            break
    assert codes[-1] == 4429, codes[-5:]
    assert codes.count(4401) >= 120, len(codes)
    alice = login(api_server)
    with Frames(api_server, "/v1/ws/agent", alice, source="127.0.0.32"):
        pass  # another address connects and subscribes


def test_a_logged_out_token_is_refused_everywhere(api_server: ApiServer):
    token = login(api_server)
    with Frames(api_server, "/v1/ws/agent", token) as live:
        with api_server.client(token) as c:
            assert c.post("/v1/auth/logout").status_code == 204
            assert c.get("/v1/handoff/queue").status_code == 401
        assert live.wait_closed() == 4401  # its open socket closes too
    ws = ws_open(api_server, "/v1/ws/agent")
    send_auth(ws, token)
    assert close_code(ws) == 4401
