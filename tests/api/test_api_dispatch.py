"""Auto-assignment and presence from activity: the dispatcher gives the queue's
conversations, highest priority first, to available agents (online, signed in, their panel
seen recently) with the lowest load, within their limit and skills; what was claimed
meanwhile is skipped; every assignment is an audited claim. The dispatcher's step is
driven directly (the settings' loop is off in tests), on the app's own event loop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, start
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.config import Settings
from api.conversations.dispatch import Dispatcher
from api.conversations.store import utcnow
from api.security import PRESENCE_BEAT_S
from api.storage.tables import AgentRow, TransitionRow

ADMIN = bearer(ADMIN_KEY)


def _services(client):
    return client.app.state.services


def _waiting(client, customer="C-1", intent=None, text="I need help"):
    cid, me = start(client, customer)
    store = _services(client).conversations
    store.add_turn(store.get(cid), "customer", text, intent)
    r = client.post(f"/v1/conversations/{cid}/handoff", json={"reason": "please"}, headers=me)
    assert r.status_code == 200 and r.json()["state"] == "queued", r.text
    return cid


def _step(client, dispatcher=None):
    dispatcher = dispatcher or Dispatcher(client.app.state.queue, _services(client).desk)
    return {a.conversation_id: a.agent_id for a in client.portal.call(dispatcher.step)}


def _owner(client, cid):
    conv = _services(client).conversations.get(cid)
    return conv.state.value, conv.agent_id


def _last_seen(client, agent):
    with Session(_services(client).engine) as s:
        return s.get(AgentRow, agent).last_seen_at


def _backdate_seen(client, agent, seconds):
    with Session(_services(client).engine) as s, s.begin():
        s.execute(
            update(AgentRow)
            .where(AgentRow.id == agent)
            .values(last_seen_at=utcnow() - timedelta(seconds=seconds))
        )


def _available(client):
    view = client.get("/v1/supervisor/queues", headers=ADMIN).json()
    return {a["id"]: a["available"] for a in view["agents"]}


def test_the_top_of_the_queue_goes_to_the_least_loaded_available_agent(client):
    alice, bob = agent_headers(client, "alice"), agent_headers(client, "bob")
    first = _waiting(client)
    assert client.post(f"/v1/conversations/{first}/claim", headers=alice).status_code == 200
    waiting = [_waiting(client, "C-2", "get_refund", "where is my refund"), _waiting(client)]
    order = [r.conversation.id for r in client.app.state.queue.ranked()]
    assert sorted(order) == sorted(waiting)

    made = _step(client)

    # bob had no chat: he gets the first; then both have one, and bob was just given one
    assert made == {order[0]: "bob", order[1]: "alice"}
    assert _owner(client, order[0]) == ("human", "bob")
    assert _owner(client, order[1]) == ("human", "alice")
    with Session(_services(client).engine) as s:
        claims = s.execute(
            select(TransitionRow.conversation_id, TransitionRow.actor, TransitionRow.reason).where(
                TransitionRow.action == "claim", TransitionRow.conversation_id.in_(order)
            )
        ).all()
    assert sorted(claims) == sorted(
        [
            (order[0], "agent:bob via routing", "assigned by routing"),
            (order[1], "agent:alice via routing", "assigned by routing"),
        ]
    )
    # nothing is waiting: a second step assigns nothing, and the panel sees its chats
    assert _step(client) == {}
    mine = client.get("/v1/agents/me/presence", headers=bob).json()
    assert mine["open_chats"] == 1 and mine["available"] is True


def test_no_chat_for_an_agent_who_is_away_signed_out_or_whose_panel_went_quiet(client):
    alice = agent_headers(client, "alice")  # bob never signs in: never given a chat
    cid = _waiting(client)

    client.put("/v1/agents/me/presence", json={"presence": "away"}, headers=alice)
    assert _step(client) == {}
    assert (_available(client)["alice"], _available(client)["bob"]) == (False, False)

    client.put("/v1/agents/me/presence", json={"presence": "online"}, headers=alice)
    _backdate_seen(client, "alice", 600)  # the tab was closed without signing out
    assert _step(client) == {} and _available(client)["alice"] is False
    assert _owner(client, cid) == ("queued", None)

    client.get("/v1/handoff/queue", headers=alice)  # the panel's next poll: alive again
    assert _available(client)["alice"] is True
    assert _step(client) == {cid: "alice"}


def test_limits_and_skills_hold_for_assignments(make_client):
    client = make_client(
        settings=Settings(
            demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, agent_max_chats=1
        )
    )
    agent_headers(client, "alice"), agent_headers(client, "bob")
    r = client.put("/v1/agents/alice/routing", json={"skills": ["billing"]}, headers=ADMIN)
    assert r.status_code == 200, r.text
    orders = _waiting(client, "C-1", "track_order", "where is my parcel")
    billing = _waiting(client, "C-2", "get_refund", "where is my refund")
    other = _waiting(client, "C-1", "track_order", "and my other parcel")

    made = _step(client)

    # alice serves billing only; bob takes one orders chat and is then at his limit of 1
    assert made.get(billing) == "alice"
    assert sum(1 for who in made.values() if who == "bob") == 1
    assert {orders, other} - set(made) and len(made) == 2
    left = ({orders, other} - set(made)).pop()
    assert _owner(client, left) == ("queued", None)
    assert _step(client) == {}  # nobody has room: it waits
    bob = agent_headers(client, "bob")
    taken = next(c for c in (orders, other) if c != left)
    closed = client.post(f"/v1/conversations/{taken}/close", json={}, headers=bob)
    assert closed.status_code == 200, closed.text
    assert _step(client) == {left: "bob"}


def test_a_conversation_claimed_meanwhile_is_skipped(client):
    alice = agent_headers(client, "alice")
    agent_headers(client, "bob")
    taken, free = _waiting(client), _waiting(client, "C-2")
    queue = client.app.state.queue
    stale = queue.ranked()  # the dispatcher's view, read before alice's claim lands
    assert client.post(f"/v1/conversations/{taken}/claim", headers=alice).status_code == 200

    class Stale:
        def __init__(self):
            self.roster, self.guard = queue.roster, queue.guard

        def ranked(self, now=None):
            return stale

    made = _step(client, Dispatcher(Stale(), _services(client).desk))

    assert made == {free: "bob"}  # bob: alice holds one chat now
    assert _owner(client, taken) == ("human", "alice")  # not taken from her


def test_an_agents_requests_record_presence_at_most_every_beat(client):
    headers = agent_headers(client, "alice")
    at_login = _last_seen(client, "alice")
    assert at_login is not None  # signing in is a sign of life
    client.get("/v1/agents/me/presence", headers=headers)
    assert _last_seen(client, "alice") == at_login  # within the beat: no write

    _backdate_seen(client, "alice", PRESENCE_BEAT_S + 5)
    before = _last_seen(client, "alice")
    client.get("/v1/agents/me/presence", headers=headers)
    assert _last_seen(client, "alice") > before
    # an API key or a customer token is nobody's presence
    assert _last_seen(client, "bob") is None
    client.get("/v1/handoff/queue", headers=bearer(ASSIST_KEY))
    assert _last_seen(client, "bob") is None


def test_the_setting_starts_the_dispatcher_with_the_service(make_client):
    async def task_names():
        return {t.get_name() for t in asyncio.all_tasks()}

    off = make_client()
    assert "auto-assign" not in off.portal.call(task_names)
    on = make_client(
        settings=Settings(
            demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, auto_assign=True
        )
    )
    assert "auto-assign" in on.portal.call(task_names)


def test_a_presence_write_that_fails_never_refuses_the_agent(client, monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session as OrmSession

    headers = agent_headers(client, "alice")
    _backdate_seen(client, "alice", PRESENCE_BEAT_S + 5)
    real_execute = OrmSession.execute

    def locked(self, statement, *args, **kwargs):
        if getattr(statement, "is_update", False) and "last_seen_at" in str(statement):
            raise OperationalError(str(statement), {}, Exception("database is locked"))
        return real_execute(self, statement, *args, **kwargs)

    monkeypatch.setattr(OrmSession, "execute", locked)
    r = client.get("/v1/agents/me/presence", headers=headers)
    assert r.status_code == 200, r.text  # served; presence simply not refreshed this time
    monkeypatch.undo()
    before = _last_seen(client, "alice")
    client.get("/v1/agents/me/presence", headers=headers)
    assert _last_seen(client, "alice") > before  # the next request records it


# ---------------------------------------------------------------------- no answer


def _dispatcher(client, answer_s=90.0):
    return Dispatcher(client.app.state.queue, _services(client).desk, answer_s=answer_s)


def _later(client, dispatcher, seconds):
    """One step as if `seconds` had passed since now."""
    later = datetime.now(UTC) + timedelta(seconds=seconds)
    made = client.portal.call(dispatcher.step, later)
    return {a.conversation_id: a.agent_id for a in made}


def _presence(client, headers):
    return client.get("/v1/agents/me/presence", headers=headers).json()


def test_an_assignment_left_unanswered_goes_back_and_the_agent_is_set_away(client):
    bob = agent_headers(client, "bob")
    cid = _waiting(client)
    store = _services(client).conversations
    before = store.get(cid)
    queued_at, reason, queue = before.queued_at, before.handoff_reason, before.queue
    dispatcher = _dispatcher(client)
    assert _step(client, dispatcher) == {cid: "bob"}
    assert _later(client, dispatcher, 60) == {}  # within the 90 s: still bob's
    assert _owner(client, cid) == ("human", "bob") and dispatcher.returned == []

    alice = agent_headers(client, "alice")  # she signs in meanwhile
    made = _later(client, dispatcher, 91)

    assert [(r.conversation_id, r.agent_id) for r in dispatcher.returned] == [(cid, "bob")]
    assert made == {cid: "alice"}  # given on at once, in the same step
    assert _presence(client, bob)["presence"] == "away"
    assert _presence(client, alice)["presence"] == "online"
    audit = [(t.action, t.actor, t.reason) for t in store.transitions(cid)][-2:]
    assert audit == [
        ("transfer_to_queue", "routing", "no answer from agent:bob within 90 s of the assignment"),
        ("claim", "agent:alice via routing", "assigned by routing"),
    ]
    conv = store.get(cid)
    assert (conv.queued_at, conv.handoff_reason, conv.queue) == (queued_at, reason, queue)
    assert _step(client, dispatcher) == {}  # bob, away, gets nothing more


def test_an_agent_who_answered_keeps_the_chat(client):
    bob = agent_headers(client, "bob")
    cid = _waiting(client)
    dispatcher = _dispatcher(client)
    assert _step(client, dispatcher) == {cid: "bob"}
    r = client.post(f"/v1/conversations/{cid}/agent-messages", json={"text": "Hi!"}, headers=bob)
    assert r.status_code == 201, r.text
    assert _later(client, dispatcher, 600) == {} and dispatcher.returned == []
    assert _owner(client, cid) == ("human", "bob")
    assert _presence(client, bob)["presence"] == "online"


def test_only_auto_assignments_are_taken_back(client):
    alice = agent_headers(client, "alice")
    cid = _waiting(client)
    assert client.post(f"/v1/conversations/{cid}/claim", headers=alice).status_code == 200
    dispatcher = _dispatcher(client)
    assert _later(client, dispatcher, 600) == {} and dispatcher.returned == []
    assert _owner(client, cid) == ("human", "alice")


def test_without_a_limit_an_assignment_stays(client):
    agent_headers(client, "bob")
    cid = _waiting(client)
    dispatcher = _dispatcher(client, answer_s=0)
    assert _step(client, dispatcher) == {cid: "bob"}
    assert _later(client, dispatcher, 3600) == {} and _owner(client, cid) == ("human", "bob")


def test_a_reply_at_the_same_moment_keeps_the_chat(client):
    """The move checks, in its own transaction, that the agent has not written since the
    assignment: a reply that lands between the dispatcher's read and its move wins."""
    bob = agent_headers(client, "bob")
    cid = _waiting(client)
    assert _step(client, _dispatcher(client)) == {cid: "bob"}
    store = _services(client).conversations
    late = store.unanswered_assignments(datetime.now(UTC) + timedelta(seconds=91))
    assert [(u.conversation_id, u.agent_id) for u in late] == [(cid, "bob")]
    r = client.post(f"/v1/conversations/{cid}/agent-messages", json={"text": "Here!"}, headers=bob)
    assert r.status_code == 201, r.text
    desk = _services(client).desk
    moved = client.portal.call(desk.return_unanswered, cid, "bob", late[0].assigned_at, 90.0)
    assert moved is False and _owner(client, cid) == ("human", "bob")


def test_a_stale_no_answer_does_not_take_back_a_newer_assignment(client):
    """A worker that read the late assignment before another worker moved it and routing
    gave it to the same agent again does not take back the new assignment."""
    bob = agent_headers(client, "bob")
    cid = _waiting(client)
    dispatcher = _dispatcher(client)
    assert _step(client, dispatcher) == {cid: "bob"}
    store = _services(client).conversations
    stale = store.unanswered_assignments(datetime.now(UTC) + timedelta(seconds=91))[0]
    _later(client, dispatcher, 91)  # taken back; bob away
    assert _owner(client, cid) == ("queued", None)
    client.put("/v1/agents/me/presence", json={"presence": "online"}, headers=bob)
    assert _step(client, dispatcher) == {cid: "bob"}  # given to him again
    desk = _services(client).desk
    moved = client.portal.call(desk.return_unanswered, cid, "bob", stale.assigned_at, 90.0)
    assert moved is False and _owner(client, cid) == ("human", "bob")
