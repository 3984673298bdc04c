"""Routing over HTTP: skills (a conversation's queue from its intents, an agent's own
queues first, a claim outside them refused unless general), presence (an away agent
cannot claim), the limit of concurrent chats (a claim past it is 409; two racing claims
at the limit: one wins), transfer (the owner only, to a queue or an online agent under
their limit, an internal redacted note the customer never sees, a neutral notice, the
ownership webhook with its action), a supervisor's reassign and live view of the queues."""

from __future__ import annotations

import threading

from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, start
from sqlalchemy import select
from sqlalchemy.orm import Session

from api import admin_cli
from api.config import Settings
from api.conversations.state import Action
from api.conversations.store import utcnow
from api.storage.tables import OutboxEventRow

ADMIN = bearer(ADMIN_KEY)


def _services(client):
    return client.app.state.services


def _waiting(client, intent=None, text="I need help"):
    """A conversation waiting for a person; `intent`: its customer turn's."""
    cid, me = start(client, "C-1")
    store = _services(client).conversations
    store.add_turn(store.get(cid), "customer", text, intent)
    r = client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "please"}, headers=me)
    assert r.status_code == 200 and r.json()["state"] == "queued", r.text
    return cid, me


def _supervisor(client, name="sofia"):
    _services(client).auth.create_agent(name, f"{name}-password", name.title(), "supervisor")
    r = client.post("/v1/auth/login", json={"agent_id": name, "password": f"{name}-password"})
    assert r.status_code == 200, r.text
    return bearer(r.json()["access_token"])


def _routing(client, agent, **body):
    r = client.put(f"/v1/agents/{agent}/routing", json=body, headers=ADMIN)
    assert r.status_code == 200, r.text
    return r.json()


def _claim(client, cid, headers):
    return client.post(f"/v1/conversations/{cid}/claim", headers=headers)


def _events(client, cid, type_):
    with Session(_services(client).engine) as s:
        rows = s.scalars(select(OutboxEventRow).where(OutboxEventRow.type == type_)).all()
        return [e.payload for e in rows if e.payload["conversation_id"] == cid]


# ---------------------------------------------------------------------- presence and limit


def test_an_away_agent_cannot_claim_until_back_online(client):
    alice = agent_headers(client)
    cid, _ = _waiting(client)
    r = client.put("/v1/agents/me/presence", json={"presence": "away"}, headers=alice)
    assert r.status_code == 200 and r.json()["presence"] == "away"
    refused = _claim(client, cid, alice)
    assert refused.status_code == 409
    assert "away" in refused.json()["error"]["message"]
    assert client.put("/v1/agents/me/presence", json={"presence": "online"}, headers=alice)
    assert _claim(client, cid, alice).status_code == 200
    me = client.get("/v1/agents/me/presence", headers=alice).json()
    assert (me["presence"], me["open_chats"], me["limit"]) == ("online", 1, 3)


def test_presence_follows_sign_in_and_the_last_sign_out(client):
    def presence():
        admin = client.get("/v1/supervisor/queues", headers=bearer(ADMIN_KEY)).json()
        return {a["id"]: a["presence"] for a in admin["agents"]}["alice"]

    laptop, phone = agent_headers(client), agent_headers(client)  # two sessions
    assert client.put("/v1/agents/me/presence", json={"presence": "away"}, headers=laptop)
    assert presence() == "away"
    again = agent_headers(client)  # a log-in starts a shift
    assert presence() == "online"
    for headers in (laptop, phone):
        assert client.post("/v1/auth/logout", headers=headers).status_code == 204
        assert presence() == "online"  # a session is still open
    assert client.post("/v1/auth/logout", headers=again).status_code == 204
    assert presence() == "away"  # the last one ended: no claims, not in the expected wait


def test_presence_is_the_agents_own(client):
    _, customer = _waiting(client)
    for headers in (customer, bearer(ASSIST_KEY), ADMIN):
        r = client.put("/v1/agents/me/presence", json={"presence": "away"}, headers=headers)
        assert r.status_code == 403, r.text
    bad = client.put(
        "/v1/agents/me/presence", json={"presence": "asleep"}, headers=agent_headers(client)
    )
    assert bad.status_code == 422


def test_a_claim_past_the_limit_is_refused_until_the_admin_raises_it(make_client):
    client = make_client(
        settings=Settings(
            demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, agent_max_chats=2
        )
    )
    alice = agent_headers(client)
    cids = [_waiting(client)[0] for _ in range(3)]
    assert [_claim(client, c, alice).status_code for c in cids[:2]] == [200, 200]
    refused = _claim(client, cids[2], alice)
    assert refused.status_code == 409
    assert "limit of 2" in refused.json()["error"]["message"]
    assert _claim(client, cids[0], alice).status_code == 200  # a repeat is still idempotent
    assert _routing(client, "alice", max_chats=3)["limit"] == 3
    assert _claim(client, cids[2], alice).status_code == 200
    assert _routing(client, "alice", default_limit=True)["limit"] == 2


def test_two_claims_racing_at_the_limit_one_wins(make_client):
    client = make_client(
        settings=Settings(
            demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, agent_max_chats=1
        )
    )
    services, queue = _services(client), client.app.state.queue
    cids = [_waiting(client)[0] for _ in range(4)]
    results: list[str] = []

    def claim(cid: str) -> None:
        conv = services.conversations.get(cid)
        guard = queue.guard("alice", conv, "claim", check_skills=True)
        try:
            services.conversations.transition(
                cid, Action.CLAIM, "agent:alice", "claimed", "alice", guard=guard
            )
            results.append("won")
        except Exception as exc:  # RoutingRefused, or the database's lock timing out
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=claim, args=(c,)) for c in cids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("won") == 1, results
    assert queue.roster.agent("alice", _now()).open_chats == 1


def _now():
    return utcnow()


# ---------------------------------------------------------------------- skills


def test_an_agent_sees_their_queues_first_and_claims_outside_them_only_in_general(client):
    billing, _ = _waiting(client, "get_refund", "where is my refund")
    tech, _ = _waiting(client, "activation_problem", "my sim will not activate")
    general, _ = _waiting(client)
    _routing(client, "alice", skills=["tech"])
    alice, bob = agent_headers(client), agent_headers(client, "bob")
    items = client.get("/v1/handoff/queue", headers=alice).json()
    mine = [(i["conversation"]["id"], i["queue"], i["for_you"]) for i in items]
    assert mine[2] == (billing, "billing", False)
    assert {m[0] for m in mine[:2]} == {tech, general} and all(m[2] for m in mine[:2])
    refused = _claim(client, billing, alice)
    assert refused.status_code == 409 and "'billing' queue" in refused.json()["error"]["message"]
    assert _claim(client, general, alice).status_code == 200
    assert _claim(client, tech, alice).status_code == 200
    assert _claim(client, billing, bob).status_code == 200  # no skills: every queue


def test_skills_name_known_queues(client):
    r = client.put("/v1/agents/alice/routing", json={"skills": ["astrology"]}, headers=ADMIN)
    assert r.status_code == 422 and "astrology" in r.json()["error"]["message"]
    r = client.put(
        "/v1/agents/alice/routing", json={"skills": ["billing"]}, headers=agent_headers(client)
    )
    assert r.status_code == 403
    assert client.put("/v1/agents/nobody/routing", json={}, headers=ADMIN).status_code == 404


def test_the_admin_cli_sets_skills_and_limits(client, capsys):
    auth = _services(client).auth
    args = admin_cli._parser().parse_args(["agents", "set-skills", "bob", "billing,orders"])
    assert admin_cli.run(args, auth) == 0
    args = admin_cli._parser().parse_args(["agents", "set-limit", "bob", "5"])
    assert admin_cli.run(args, auth) == 0
    bob = client.app.state.queue.roster.agent("bob", _now())
    assert (bob.skills, bob.max_chats) == (("billing", "orders"), 5)
    bad = admin_cli._parser().parse_args(["agents", "set-skills", "bob", "astrology"])
    assert admin_cli.run(bad, auth) == 2
    assert "astrology" in capsys.readouterr().err


# ---------------------------------------------------------------------- transfer


def test_a_transfer_to_a_queue_requeues_with_a_redacted_internal_note(client):
    cid, me = _waiting(client)
    alice = agent_headers(client)
    assert _claim(client, cid, alice).status_code == 200
    note = "she wants a refund, write to emma@example.com"
    r = client.post(
        f"/v1/conversations/{cid}/transfer",
        json={"to_queue": "billing", "note": note},
        headers=alice,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["agent_id"]) == ("queued", None)
    (item,) = client.get("/v1/handoff/queue", headers=alice).json()
    assert item["queue"] == "billing" and "refund" in item["reason"]
    trail = client.get(f"/v1/conversations/{cid}/transitions", headers=alice).json()
    assert trail[-1]["action"] == "transfer_to_queue" and trail[-1]["actor"] == "agent:alice"
    assert "refund" in trail[-1]["reason"] and "emma@example.com" not in trail[-1]["reason"]
    # the customer: a neutral notice, never the note
    seen = client.get(f"/v1/conversations/{cid}", headers=me)
    assert "colleague" in seen.text and "refund" not in seen.text
    (event,) = _events(client, cid, "conversation.queued")[-1:]
    assert event["action"] == "transfer_to_queue"


def test_a_transfer_to_an_agent_needs_them_online_and_under_their_limit(client):
    cid, me = _waiting(client)
    alice, bob = agent_headers(client), agent_headers(client, "bob")
    assert _claim(client, cid, alice).status_code == 200
    client.put("/v1/agents/me/presence", json={"presence": "away"}, headers=bob)
    body = {"to_agent": "bob", "note": "he knows her order"}
    refused = client.post(f"/v1/conversations/{cid}/transfer", json=body, headers=alice)
    assert refused.status_code == 409 and "away" in refused.json()["error"]["message"]
    client.put("/v1/agents/me/presence", json={"presence": "online"}, headers=bob)
    _routing(client, "bob", max_chats=0)
    full = client.post(f"/v1/conversations/{cid}/transfer", json=body, headers=alice)
    assert full.status_code == 409 and "limit of 0" in full.json()["error"]["message"]
    _routing(client, "bob", default_limit=True)
    r = client.post(f"/v1/conversations/{cid}/transfer", json=body, headers=alice)
    assert r.status_code == 200 and r.json()["agent_id"] == "bob", r.text
    (event,) = [
        e for e in _events(client, cid, "conversation.claimed") if e["action"] == "transfer"
    ]
    assert (event["agent_id"], event["actor"]) == ("bob", "agent:alice")
    customer = client.get(f"/v1/conversations/{cid}", headers=me)
    assert "colleague" in customer.text and "he knows her" not in customer.text
    # only the owner transfers: alice no longer owns it
    again = client.post(
        f"/v1/conversations/{cid}/transfer", json={"to_queue": "billing"}, headers=alice
    )
    assert again.status_code == 403


def test_hostile_transfers_get_clear_4xx(client):
    cid, me = _waiting(client)
    alice = agent_headers(client)
    url = f"/v1/conversations/{cid}/transfer"
    # not owned yet (queued)
    assert client.post(url, json={"to_queue": "billing"}, headers=alice).status_code == 409
    assert _claim(client, cid, alice).status_code == 200
    cases = [
        ({"to_queue": "astrology"}, 422),
        ({"to_agent": "nobody"}, 404),
        ({"to_agent": "alice"}, 409),
        ({"to_agent": "bob", "to_queue": "billing"}, 422),
        ({}, 422),
        ({"to_queue": "billing", "note": "x" * 5000}, 422),
    ]
    for body, status in cases:
        assert client.post(url, json=body, headers=alice).status_code == status, body
    assert client.post(url, json={"to_queue": "billing"}, headers=me).status_code == 403
    assert client.post(url, json={"to_queue": "billing"}, headers=ADMIN).status_code == 403
    bob = agent_headers(client, "bob")
    assert client.post(url, json={"to_queue": "billing"}, headers=bob).status_code == 403
    assert client.post(f"/v1/conversations/{cid}/close", json={}, headers=alice).status_code == 200
    closed = client.post(url, json={"to_queue": "billing"}, headers=alice)
    assert closed.status_code == 409


# ---------------------------------------------------------------------- supervisors


def test_a_supervisor_sees_every_queue_and_agent_and_reassigns(client):
    billing, _ = _waiting(client, "get_refund", "where is my refund")
    sofia = _supervisor(client)
    alice = agent_headers(client)
    agent_headers(client, "bob")  # signed in
    _routing(client, "bob", skills=["billing"])
    assert client.get("/v1/supervisor/queues", headers=alice).status_code == 403
    view = client.get("/v1/supervisor/queues", headers=sofia).json()
    queues = {q["name"]: q for q in view["queues"]}
    assert [w["conversation_id"] for w in queues["billing"]["waiting"]] == [billing]
    assert queues["billing"]["agents_online"] == 3  # alice, bob, sofia: no skills or billing
    assert queues["tech"]["waiting"] == [] and queues["tech"]["agents_online"] == 2
    agents = {a["id"]: a for a in view["agents"]}
    assert agents["bob"]["skills"] == ["billing"] and agents["alice"]["presence"] == "online"
    url = f"/v1/conversations/{billing}/reassign"
    assert client.post(url, json={"to_agent": "bob"}, headers=alice).status_code == 403
    r = client.post(url, json={"to_agent": "bob", "note": "priority"}, headers=sofia)
    assert r.status_code == 200 and r.json()["agent_id"] == "bob", r.text
    assert client.post(url, json={"to_agent": "nobody"}, headers=sofia).status_code == 404
    r = client.post(url, json={"to_agent": "alice"}, headers=ADMIN)  # an admin key too
    assert r.status_code == 200 and r.json()["agent_id"] == "alice"
    trail = client.get(f"/v1/conversations/{billing}/transitions", headers=alice).json()
    assert [t["action"] for t in trail][-2:] == ["reassign", "reassign"]
    assert trail[-2]["actor"] == "agent:sofia"
    view = client.get("/v1/supervisor/queues", headers=sofia).json()
    assert {a["id"]: a["open_chats"] for a in view["agents"]}["alice"] == 1
    assert [e["action"] for e in _events(client, billing, "conversation.claimed")] == [
        "reassign",
        "reassign",
    ]


def test_a_transfer_racing_a_close_leaves_one_consistent_outcome(client):
    services = _services(client)
    store = services.conversations
    for _ in range(3):
        cid, _ = _waiting(client)
        assert _claim(client, cid, agent_headers(client)).status_code == 200
        outcomes: list[str] = []

        def move(action: Action, cid: str = cid, outcomes: list[str] = outcomes, **kw) -> None:
            try:
                store.transition(cid, action, "agent:alice", "race", owner="alice", **kw)
                outcomes.append(action.value)
            except Exception as exc:  # IllegalTransition for the loser
                outcomes.append(type(exc).__name__)

        threads = [
            threading.Thread(target=move, args=(Action.CLOSE,)),
            threading.Thread(
                target=move, args=(Action.TRANSFER_TO_QUEUE,), kwargs={"queue": "billing"}
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        trail = [t.action for t in store.transitions(cid)]
        final = store.get(cid).state.value
        # the close always can follow a transfer (queued -> closed); a transfer never
        # follows a close
        assert trail[-1] == ("close" if final == "closed" else "transfer_to_queue"), trail
        assert "close" in outcomes
        assert trail.count("transfer_to_queue") == outcomes.count("transfer_to_queue")
