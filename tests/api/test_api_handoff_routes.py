"""Hand-off over HTTP: queue, claim (409 on the second, also under real concurrency),
agent messages, hand back, close, idempotent repeats, the audit trail."""

from __future__ import annotations

import threading

from api_helpers import ASSIST_KEY, agent_headers, bearer, start
from fastapi.testclient import TestClient


def _queued(client):
    cid, me = start(client)
    r = client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "please"}, headers=me)
    assert r.status_code == 200 and r.json()["state"] == "queued"
    return cid, me


def test_queue_shows_wait_and_reason(client):
    cid, _ = _queued(client)
    r = client.get("/v1/handoff/queue", headers=agent_headers(client))
    assert r.status_code == 200
    (item,) = r.json()
    assert item["conversation"]["id"] == cid
    assert item["reason"] == "please"
    assert item["wait_s"] >= 0


def test_claim_message_hand_back_close(client, fake_bot):
    cid, me = _queued(client)
    alice, bob = agent_headers(client, "alice"), agent_headers(client, "bob")
    r = client.post(f"/v1/conversations/{cid}/claim", headers=alice)
    assert r.status_code == 200 and r.json()["agent_id"] == "alice"
    again = client.post(f"/v1/conversations/{cid}/claim", headers=alice)
    assert again.status_code == 200 and again.json()["version"] == r.json()["version"]
    second = client.post(f"/v1/conversations/{cid}/claim", headers=bob)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "illegal_transition"
    assert "alice" in second.json()["error"]["message"]

    r = client.post(f"/v1/conversations/{cid}/agent-messages", json={"text": "Hi!"}, headers=alice)
    assert r.status_code == 201 and r.json()["role"] == "agent"
    r = client.post(f"/v1/conversations/{cid}/agent-messages", json={"text": "me"}, headers=bob)
    assert r.status_code == 403

    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "thanks"}, headers=me)
    assert r.json()["state"] == "human" and r.json()["replies"] == []
    assert fake_bot.calls == []

    r = client.post(f"/v1/conversations/{cid}/hand-back", json={"reason": "rating"}, headers=alice)
    assert r.status_code == 200 and r.json()["state"] == "bot"
    assert (
        client.post(f"/v1/conversations/{cid}/hand-back", json={}, headers=alice).status_code == 200
    )
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "5 stars"}, headers=me)
    assert r.json()["replies"][0]["text"] == "bot: 5 stars"

    assert fake_bot.tracker == [("pause", cid), ("resume", cid)]  # once each
    assert client.post(f"/v1/conversations/{cid}/close", json={}, headers=alice).status_code == 200
    assert client.post(f"/v1/conversations/{cid}/close", json={}, headers=alice).status_code == 200
    trail = client.get(f"/v1/conversations/{cid}/transitions", headers=alice).json()
    assert [t["action"] for t in trail] == ["request_handoff", "claim", "hand_back", "close"]
    assert trail[0]["actor"].startswith("customer:") and trail[0]["reason"] == "please"
    assert trail[1]["actor"] == "agent:alice"


def test_illegal_transition_is_409_with_a_clear_message(client):
    cid, _ = start(client)
    r = client.post(f"/v1/conversations/{cid}/claim", headers=agent_headers(client))
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["state"] == "bot" and "cannot claim" in err["message"]


def test_unknown_conversation_is_404(client):
    r = client.post("/v1/conversations/nope/claim", headers=agent_headers(client))
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "conversation_not_found"


def test_concurrent_http_claims_have_one_winner(client):
    cid, _ = _queued(client)
    headers = [agent_headers(client, n) for n in ("alice", "bob")]
    codes: list[int] = []
    barrier = threading.Barrier(2)

    def go(h):
        barrier.wait()
        codes.append(client.post(f"/v1/conversations/{cid}/claim", headers=h).status_code)

    threads = [threading.Thread(target=go, args=(h,)) for h in headers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 409]


def test_listing_by_state(client: TestClient):
    _queued(client)
    start(client)
    r = client.get("/v1/conversations?state=queued", headers=bearer(ASSIST_KEY))
    assert [c["state"] for c in r.json()] == ["queued"]
    assert (
        client.get("/v1/conversations?state=nonsense", headers=bearer(ASSIST_KEY)).status_code
        == 422
    )


def test_hand_back_lets_the_bot_speak_first_and_stores_what_it_says(client, fake_bot):
    cid, me = _queued(client)
    alice = agent_headers(client, "alice")
    client.post(f"/v1/conversations/{cid}/claim", headers=alice)
    r = client.post(f"/v1/conversations/{cid}/hand-back", json={}, headers=alice)
    assert r.status_code == 200 and r.json()["state"] == "bot"
    assert fake_bot.triggers == [(cid, "EXTERNAL_handed_back")]
    turns = client.get(f"/v1/conversations/{cid}", headers=me).json()["turns"]
    assert [(t["role"], t["text"]) for t in turns[-2:]] == [
        ("system", "You are back with our assistant."),
        ("bot", "Is it solved?"),
    ]
    # a repeated hand-back is a no-op: the bot is not told twice
    client.post(f"/v1/conversations/{cid}/hand-back", json={}, headers=alice)
    assert len(fake_bot.triggers) == 1


def test_hand_back_to_an_unreachable_bot_still_hands_back(client, fake_bot):
    cid, _ = _queued(client)
    alice = agent_headers(client, "alice")
    client.post(f"/v1/conversations/{cid}/claim", headers=alice)
    fake_bot.fail = True
    r = client.post(f"/v1/conversations/{cid}/hand-back", json={}, headers=alice)
    assert r.status_code == 200 and r.json()["state"] == "bot"
