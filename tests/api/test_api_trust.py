"""Trust regressions, one per finding of the security review (issue #10): PII redacted
before it is stored or forwarded, ownership enforced, log-in throttled and locked,
customer tokens that expire, anonymous starts limited, races and retries that lose and
double nothing, hostile input refused with a clear 4xx, security headers."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from api_helpers import (
    ADMIN_KEY,
    AGENTS,
    ASSIST_KEY,
    agent_headers,
    bearer,
    start,
)

from api.config import Settings
from api.conversations.bot import BotMessage
from api.storage.schema import open_database
from retrieval.store import SqlHistoryStore

CARD = "4111 1111 1111 1111"
MASKED = "[CARD visa ****1111]"
CCAAS = bearer(ASSIST_KEY)


def _settings(**kw) -> Settings:
    return Settings(demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, **kw)


def _handed_to_alice(client):
    cid, me = start(client)
    client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "r"}, headers=me)
    alice = agent_headers(client, "alice")
    assert client.post(f"/v1/conversations/{cid}/claim", headers=alice).status_code == 200
    return cid, me, alice


# ----------------------------------------------------------------------------- PII


def test_a_card_number_is_never_stored_exported_or_forwarded(client, fake_bot):
    cid, me = start(client)
    text = f"refund to my card {CARD} or mail emma@example.com"
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=CCAAS)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["turn"]["text"] == f"refund to my card {MASKED} or mail [EMAIL]"
    assert "4111 1111" not in str(out["analysis"])  # the returned entities are masked too
    # the bot got the redacted text, and no card entity
    (_, sent, metadata) = fake_bot.calls[-1]
    assert CARD not in sent and MASKED in sent
    assert all(e["type"] != "card_number" for e in metadata["entities"])
    # stored: transcript text and entities
    turns = client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["turns"]
    assert CARD not in str(turns) and "emma@example.com" not in str(turns)
    card = [e for e in turns[0]["attributes"]["entities"] if e["type"] == "card_number"]
    assert card and card[0]["value"] == MASKED
    # the hand-off packet and the export
    client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=me)
    packet = client.get(f"/v1/conversations/{cid}/handoff", headers=CCAAS).json()
    assert CARD not in str(packet) and MASKED in str(packet)
    h = agent_headers(client)
    body = {"kind": "intent_correction", "action": "corrected", "conversation_id": cid}
    body |= {"turn_id": turns[0]["id"], "corrected_intent": "get_refund"}
    assert client.post("/v1/feedback", json=body, headers=h).status_code == 201
    export = client.get("/v1/feedback/export?format=jsonl", headers=bearer(ADMIN_KEY)).text
    assert CARD not in export and MASKED in export


def test_journey_event_text_is_redacted_and_bounded(client):
    event = {
        "id": "ev-pii-1",
        "customer_id": "C-1",
        "channel": "email",
        "type": "email_in",
        "ts": "2026-11-01T10:00:00Z",
        "text": f"my card {CARD}, call me on +44 20 7946 0958",
    }
    key = bearer(ASSIST_KEY)
    admin = bearer(ADMIN_KEY)
    assert client.post("/v1/events", json=event, headers=admin).status_code == 200
    timeline = client.get("/v1/customers/C-1/timeline", headers=key).json()["events"]
    (stored,) = [e for e in timeline if e["id"] == "ev-pii-1"]
    assert CARD not in stored["text"] and "7946" not in stored["text"]
    big = event | {"id": "ev-big", "text": "x" * 200_000}
    r = client.post("/v1/events", json=big, headers=admin)
    assert r.status_code == 422 and "4000" in r.text
    fat = event | {"id": "ev-fat", "attributes": {"blob": "y" * 20_000}}
    assert client.post("/v1/events", json=fat, headers=admin).status_code == 422


# ----------------------------------------------------------------------------- ownership


def test_only_the_owner_or_a_supervisor_closes_hands_back_or_writes(make_client, history):
    client = make_client()
    client.app.state.services.auth.create_agent("sue", "sue-password", "Sue", "supervisor")
    cid, me, alice = _handed_to_alice(client)
    bob = agent_headers(client, "bob")
    for path, body in [
        ("close", {}),
        ("hand-back", {}),
        ("agent-messages", {"text": "hi, it's bob"}),
    ]:
        r = client.post(f"/v1/conversations/{cid}/{path}", json=body, headers=bob)
        assert r.status_code == 403, (path, r.text)
        assert "belongs to agent 'alice'" in r.json()["error"]["message"]
    # an API key with scope assist owns no conversation either
    r = client.post(f"/v1/conversations/{cid}/close", json={}, headers=CCAAS)
    assert r.status_code == 403
    assert (
        client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["conversation"]["state"]
        == "human"
    )
    # a supervisor may write in and close anyone's conversation
    r = client.post("/v1/auth/login", json={"agent_id": "sue", "password": "sue-password"})
    sue = bearer(r.json()["access_token"])
    assert r.json()["role"] == "supervisor"
    msg = {"text": "Supervisor here"}
    assert client.post(f"/v1/conversations/{cid}/agent-messages", json=msg, headers=sue).is_success
    r = client.post(f"/v1/conversations/{cid}/close", json={}, headers=sue)
    assert r.status_code == 200 and r.json()["state"] == "closed"
    trail = client.get(f"/v1/conversations/{cid}/transitions", headers=CCAAS).json()
    assert trail[-1]["actor"] == "agent:sue"


def test_the_owner_check_is_part_of_the_write(history):
    """The store checks ownership in the same UPDATE: no read-then-write window."""
    from api.conversations.errors import Forbidden
    from api.conversations.state import Action
    from api.conversations.store import ConversationStore

    store = ConversationStore(history.engine)
    conv, _ = store.create("C-1")
    store.transition(conv.id, Action.REQUEST_HANDOFF, "customer", "r")
    store.transition(conv.id, Action.CLAIM, "agent:alice", "", "alice")
    with pytest.raises(Forbidden):
        store.transition(conv.id, Action.CLOSE, "agent:bob", "", owner="bob")
    assert store.get(conv.id).state.value == "human"
    assert store.transition(conv.id, Action.CLOSE, "agent:alice", "", owner="alice").changed
    queued, _ = store.create("C-1")  # before a person owns it, the owner check passes
    assert store.transition(queued.id, Action.CLOSE, "api_key:k", "", owner="api_key:k").changed


# ----------------------------------------------------------------------------- log-in


def test_repeated_wrong_passwords_lock_the_account_until_an_admin_unlocks(make_client):
    client = make_client(
        settings=_settings(login_limit_per_address="0", login_hard_lock_failures=8)
    )
    wrong = {"agent_id": "alice", "password": "not-her-password"}
    codes = [client.post("/v1/auth/login", json=wrong).status_code for _ in range(12)]
    assert codes[:5] == [401] * 5 and set(codes[5:]) == {429}
    right = {"agent_id": "alice", "password": AGENTS["alice"]}
    r = client.post("/v1/auth/login", json=right)
    assert r.status_code == 429 and "admin" in r.json()["error"]["message"]
    assert int(r.headers["retry-after"]) >= 1
    agents = client.get("/v1/agents", headers=bearer(ADMIN_KEY)).json()
    (row,) = [a for a in agents if a["id"] == "alice"]
    # attempts during a lock are refused unchecked: they neither verify nor count
    assert row["locked_until"] is not None and row["failed_logins"] == 5
    r = client.post("/v1/agents/alice/unlock", headers=bearer(ADMIN_KEY))
    assert r.status_code == 200 and r.json()["locked_until"] is None
    assert client.post("/v1/auth/login", json=right).status_code == 200
    # unknown accounts are throttled alike (a lock does not reveal which names exist)
    ghost = {"agent_id": "nobody", "password": "whatever-pw"}
    codes = [client.post("/v1/auth/login", json=ghost).status_code for _ in range(7)]
    assert codes[:5] == [401] * 5 and codes[-1] == 429


def test_log_ins_are_limited_per_address(make_client):
    client = make_client(settings=_settings(login_limit_per_address="5/minute"))
    wrong = {"agent_id": "bob", "password": "wrong-password"}
    codes = [
        client.post("/v1/auth/login", json=wrong | {"agent_id": f"x{k}"}).status_code
        for k in range(6)
    ]
    assert codes[:5] == [401] * 5 and codes[5] == 429


def test_password_hashing_runs_on_its_own_bounded_pool(make_client, monkeypatch):
    """scrypt never runs on the default executor the routes' database work uses, and a
    flood beyond the pending cap is refused at once instead of queueing."""
    import api.security as security

    client = make_client(settings=_settings(max_pending_logins=1, login_limit_per_address="0"))
    threads: list[str] = []
    release = threading.Event()
    entered = threading.Event()
    real = security.verify_password

    def slow_verify(password: str, stored: str) -> bool:
        threads.append(threading.current_thread().name)
        entered.set()
        release.wait(30)
        return real(password, stored)

    monkeypatch.setattr(security, "verify_password", slow_verify)
    results: list[int] = []
    body = {"agent_id": "alice", "password": AGENTS["alice"]}
    first = threading.Thread(
        target=lambda: results.append(client.post("/v1/auth/login", json=body).status_code)
    )
    first.start()
    assert entered.wait(30)
    r = client.post("/v1/auth/login", json=body)  # the one pending slot is taken
    assert r.status_code == 429
    # meanwhile the database routes still answer
    assert client.get("/v1/handoff/queue", headers=CCAAS).status_code == 200
    release.set()
    first.join(30)
    assert results == [200]
    assert threads and all(name.startswith("password-hash") for name in threads)


# ----------------------------------------------------------------------------- tokens


def test_a_closed_conversations_token_expires(make_client):
    client = make_client(settings=_settings(customer_token_ttl_after_close_s=0))
    cid, me = start(client)
    assert client.post(f"/v1/conversations/{cid}/close", json={}, headers=me).status_code == 200
    r = client.get(f"/v1/conversations/{cid}", headers=me)
    assert r.status_code == 401 and "expired" in r.json()["error"]["message"]


@pytest.fixture
def mid_minute(monkeypatch):
    """The limiter's clock held in the middle of a minute. Its sliding-window count rounds
    the previous window's weight down, so a request that happens to land just after a
    minute turns would pass one request early (the `limits` library's approximation):
    the limits below must not depend on when in the minute the test runs."""
    import limits.storage.memory as memory

    held = (time.time() // 60) * 60 + 30
    monkeypatch.setattr(memory, "time", SimpleNamespace(time=lambda: held))


def test_anonymous_starts_are_limited_per_address_and_per_site(make_client, mid_minute):
    client = make_client(
        settings=_settings(
            conversation_limit_per_address="3/minute", conversation_limit_per_site="5/minute"
        )
    )
    codes = [client.post("/v1/conversations", json={}).status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    # a known customer's start goes through the site backend's key, limited per key
    assert client.post("/v1/conversations", json={"customer_id": "C-1"}, headers=CCAAS).is_success


def test_the_site_limit_holds_across_addresses(make_client, mid_minute):
    client = make_client(settings=_settings(conversation_limit_per_site="2/minute"))
    site = {"Origin": "https://shop.example"}
    codes = [client.post("/v1/conversations", json={}, headers=site).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    other = {"Origin": "https://other.example"}
    assert client.post("/v1/conversations", json={}, headers=other).status_code == 201


# ----------------------------------------------------------------------------- races


def test_the_bot_never_speaks_after_a_person_claimed(make_client, fake_bot):
    """The claim lands while the bot is thinking: its reply is dropped, the customer's
    message is kept and answered 200, and no bot turn lands in the person's chat."""
    client = make_client()
    services = client.app.state.services
    cid, me = start(client)
    alice = agent_headers(client)

    async def slow_reply(conversation_id, text, metadata):
        fake_bot.calls.append((conversation_id, text, dict(metadata)))
        # a person takes over while the bot is busy (an agent clicks "take over")
        await services.handoff.request(conversation_id, "agent took over", "agent:alice")
        await services.desk.claim(conversation_id, "alice")
        return [
            BotMessage("bot answer that must not appear"),
            BotMessage("", custom={"handoff": True, "reason": "late bot hand-off"}),
        ]

    fake_bot.reply = slow_reply
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "refund please"}, headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "human" and r.json()["replies"] == []
    turns = client.get(f"/v1/conversations/{cid}", headers=alice).json()["turns"]
    assert [t["role"] for t in turns] == ["customer", "system"]
    assert all("must not appear" not in t["text"] for t in turns)


def test_a_retried_message_is_stored_once_and_answered_alike(client, fake_bot):
    cid, me = start(client)
    key = {"Idempotency-Key": "m-0001"}
    first = client.post(
        f"/v1/conversations/{cid}/messages", json={"text": "refund please"}, headers=me | key
    )
    again = client.post(
        f"/v1/conversations/{cid}/messages", json={"text": "refund please"}, headers=me | key
    )
    assert first.status_code == again.status_code == 200
    assert again.json()["replayed"] is True and first.json()["replayed"] is False
    assert again.json()["turn"]["id"] == first.json()["turn"]["id"]
    assert again.json()["replies"] == first.json()["replies"]
    assert len(fake_bot.calls) == 1  # the bot was asked once
    body = {"text": "refund please", "client_message_id": "m-0001"}
    third = client.post(f"/v1/conversations/{cid}/messages", json=body, headers=me)
    assert third.json()["turn"]["id"] == first.json()["turn"]["id"]
    turns = client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["turns"]
    assert [t["role"] for t in turns] == ["customer", "bot"]
    # a different id is a new message
    body["client_message_id"] = "m-0002"
    assert (
        client.post(f"/v1/conversations/{cid}/messages", json=body, headers=me).json()["replayed"]
        is False
    )


# ----------------------------------------------------------------------------- input


@pytest.mark.parametrize("path", ["/v1/intent", "messages"])
def test_a_lone_surrogate_is_a_422_and_nothing_is_stored(client, path):
    cid, me = start(client)
    url = f"/v1/conversations/{cid}/messages" if path == "messages" else path
    raw = b'{"text": "hello \\ud800 there"}'
    r = client.post(url, content=raw, headers=me | {"Content-Type": "application/json"})
    assert r.status_code == 422 and "surrogate" in r.json()["error"]["message"]
    turns = client.get(f"/v1/conversations/{cid}", headers=CCAAS).json()["turns"]
    assert turns == []


def test_bodies_over_the_cap_are_refused(make_client):
    client = make_client(settings=_settings(max_body_bytes=4096))
    cid, me = start(client)
    url = f"/v1/conversations/{cid}/messages"
    huge = {"Content-Length": str(2 * 1024**3), "Content-Type": "application/json"}
    r = client.post(url, content=b"{}", headers=me | huge)
    assert r.status_code == 413 and "larger than 4096" in r.json()["error"]["message"]

    def stream():  # no Content-Length: chunked, more than the cap
        yield b'{"text": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    r = client.post(url, content=stream(), headers=me | {"Content-Type": "application/json"})
    assert r.status_code == 413


def test_security_headers_on_pages_and_metrics_behind_a_credential(make_client, tmp_path):
    client = make_client()
    page = client.get("/agent")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/healthz").headers["x-content-type-options"] == "nosniff"
    prod = make_client(
        settings=Settings(
            mode="production",
            secret_key="s3cr3t-for-tests",
            demo_api_key=ASSIST_KEY,
            demo_admin_key=ADMIN_KEY,
            rasa_url=None,
        ),
        history=SqlHistoryStore(
            open_database(f"sqlite:///{tmp_path}/prod.db")
        ),  # no demo seed in it
    )
    prod.app.state.services.auth.create_api_key("ops", ["admin"], "ops-admin-key")
    assert prod.get("/metrics").status_code == 401
    assert prod.get("/metrics", headers=CCAAS).status_code in (401, 403)
    assert prod.get("/metrics", headers=bearer("ops-admin-key")).status_code == 200
    assert prod.post("/demo/conversations", json={"customer_id": "C-1"}).status_code == 404


def test_the_lock_doubles_and_ends_in_a_lock_only_an_admin_lifts():
    from api.security import LoginPolicy

    policy = LoginPolicy(max_failures=5, lock_s=30, max_lock_s=900, hard_lock_failures=20)
    assert [policy.lock_for(n) for n in (1, 4)] == [None, None]
    assert [policy.lock_for(n) for n in (5, 6, 7)] == [30, 60, 120]
    assert policy.lock_for(19) == 900 and policy.lock_for(20) == float("inf")


def test_no_json_string_may_hold_a_nul_or_a_lone_surrogate(client):
    """Any route: PostgreSQL refuses NUL in text, and a stored lone surrogate would break
    every later read of the record (e.g. a customer's timeline)."""
    hdr = {"Content-Type": "application/json"} | bearer(ADMIN_KEY)
    event = (
        b'{"id": "e-1", "customer_id": "C-1", "channel": "web", "type": "page_view", '
        b'"ts": "2026-11-20T10:00:00Z", "attributes": {"page": "/x \\ud800 y"}}'
    )
    r = client.post("/v1/events", content=event, headers=hdr)
    assert r.status_code == 422 and "surrogate" in r.json()["error"]["message"]
    assert client.get("/v1/customers/C-1/timeline", headers=CCAAS).status_code == 200
    r = client.post(
        "/v1/auth/login",
        content=b'{"agent_id": "x\\u0000y", "password": "p"}',
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 422 and "NUL" in r.json()["error"]["message"]
    assert client.get("/v1/conversations/x%00y", headers=CCAAS).status_code == 422
    emoji = b'{"text": "thanks \\ud83d\\ude00"}'  # a valid surrogate pair is a character
    assert client.post("/v1/intent", content=emoji, headers=hdr).status_code == 200


def test_masking_keeps_the_access_log_line_intact():
    """uvicorn's access formatter unpacks the record's args: masking must keep them."""
    import logging

    from uvicorn.logging import AccessFormatter

    from api.logs import RedactSecrets

    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/v1/ws/agent?token=at_abcdefghijklmnopqrstuvwxyz", "1.1", 200),
        None,
    )
    assert RedactSecrets().filter(record)
    line = AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s').format(record)
    assert "at_abcdefghijklmnop" not in line and "token=[secret]" in line and "200" in line
