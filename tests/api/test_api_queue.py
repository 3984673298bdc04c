"""The hand-off queue over HTTP: ranked by priority with its reasons (a frustrated gold
customer with an open ticket before an earlier anonymous visitor, a long wait overtaking),
the customer's place and expected wait in that order, leaving the queue (the customer's
own token only, idempotent, audited, gone from the queue and live on the agents' socket)
and the sweep of silent or departed customers (called with an explicit `now`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer, live, start
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.config import Settings
from api.conversations.priority import QueueConfigError
from api.storage.tables import ConversationRow, OutboxEventRow, TransitionRow

FRUSTRATED = {"label": "negative", "compound": -0.7, "frustration": 0.82, "signals": []}


def _services(client):
    return client.app.state.services


def _queue_up(client, customer_id=None, sentiment=None, reason="please"):
    """A conversation waiting for a person; `sentiment`: its last customer turn's."""
    cid, me = start(client, customer_id)
    if sentiment is not None:
        store = _services(client).conversations
        store.add_turn(
            store.get(cid), "customer", "this is the third time!", None, {"sentiment": sentiment}
        )
    r = client.post(f"/v1/conversations/{cid}/handoff", json={"reason": reason}, headers=me)
    assert r.status_code == 200 and r.json()["state"] == "queued", r.text
    assert client.get(f"/v1/conversations/{cid}", headers=me).status_code == 200  # as the widget
    return cid, me


def _open_ticket(history, customer_id="C-1"):
    now = datetime.now(UTC)
    history.upsert_tickets(
        [{"id": "T-9", "customer_id": customer_id, "topic": "refund", "status": "open",
          "summary": "refund not received", "opened_at": now - timedelta(days=2)}]
    )  # fmt: skip


def _backdate(client, cid, seconds, *, transitions=False):
    """As if `cid` was queued `seconds` earlier (and, with `transitions`, asked then)."""
    with Session(_services(client).engine) as s, s.begin():
        row = s.get(ConversationRow, cid)
        row.queued_at = row.queued_at - timedelta(seconds=seconds)
        if transitions:
            for t in s.scalars(
                select(TransitionRow).where(
                    TransitionRow.conversation_id == cid,
                    TransitionRow.action == "request_handoff",
                )
            ):
                t.ts = t.ts - timedelta(seconds=seconds)


def _queue(client):
    r = client.get("/v1/handoff/queue", headers=agent_headers(client))
    assert r.status_code == 200, r.text
    return r.json()


def _place(client, cid, me):
    r = client.get(f"/v1/conversations/{cid}", headers=me)
    assert r.status_code == 200, r.text
    return r.json()["queue"]


def test_a_frustrated_gold_customer_with_an_open_ticket_goes_before_an_earlier_visitor(
    client, history
):
    _open_ticket(history)
    anon, anon_me = _queue_up(client)  # first in
    gold, gold_me = _queue_up(client, "C-1", FRUSTRATED)  # gold tier, 899 of orders
    items = _queue(client)
    assert [i["conversation"]["id"] for i in items] == [gold, anon]
    first = items[0]
    details = {r["name"]: r["detail"] for r in first["priority_reasons"]}
    assert details["frustration"] == "frustrated (0.82)"
    assert details["tier"] == "gold tier"
    assert details["open_tickets"] == "1 open ticket"
    assert details["value"] == "lifetime value 899"
    assert first["priority"] >= 32.8 + 20 + 10 > items[1]["priority"]
    assert first["priority"] == round(sum(r["points"] for r in first["priority_reasons"]), 1)

    # the customers' places follow the same order; no recent claim: no estimate
    gold_place, anon_place = _place(client, gold, gold_me), _place(client, anon, anon_me)
    assert (gold_place["position"], anon_place["position"]) == (1, 2)
    assert gold_place["waiting"] == anon_place["waiting"] == 2
    assert gold_place["expected_wait_s"] is None
    # the customer's view says nothing of the priority
    assert "priority" not in str(client.get(f"/v1/conversations/{anon}", headers=anon_me).json())


def test_a_long_wait_overtakes_and_says_so(client, history):
    _open_ticket(history)
    anon, anon_me = _queue_up(client)
    gold, _ = _queue_up(client, "C-1", FRUSTRATED)
    _backdate(client, anon, 10 * 60)  # past the 2 min target: it climbs
    items = _queue(client)
    assert [i["conversation"]["id"] for i in items] == [anon, gold]
    (wait,) = items[0]["priority_reasons"]
    assert wait["name"] == "wait" and wait["detail"] == "waited 10 min, target 2 min"
    assert _place(client, anon, anon_me)["position"] == 1


def test_ties_go_to_the_longest_wait(client):
    first, _ = _queue_up(client)
    second, _ = _queue_up(client)
    assert [i["conversation"]["id"] for i in _queue(client)] == [first, second]


def test_the_expected_wait_comes_from_recent_claims(client):
    for name, waited in (("alice", 120), ("bob", 240)):
        cid, _ = _queue_up(client)
        _backdate(client, cid, waited, transitions=True)
        r = client.post(f"/v1/conversations/{cid}/claim", headers=agent_headers(client, name))
        assert r.status_code == 200
    first, first_me = _queue_up(client)
    second, second_me = _queue_up(client)
    # median 180 s x position / 2 agents who claimed
    # (each claim also waited the moments the test took between backdating and claiming:
    # a bound, not a clock comparison)
    one = _place(client, first, first_me)["expected_wait_s"]
    two = _place(client, second, second_me)["expected_wait_s"]
    assert 90 <= one < 150
    assert two == pytest.approx(2 * one, abs=0.2)  # the second in line waits twice as long


def test_leaving_closes_as_abandoned_audited_and_gone_from_the_queue(client):
    cid, me = _queue_up(client)
    other, _ = _queue_up(client)
    token = agent_headers(client)["Authorization"].split()[1]
    with live(client, "/v1/ws/agent", token) as agent:
        r = client.post(f"/v1/conversations/{cid}/leave", json={}, headers=me)
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "closed"
        assert "handoff_reason" not in r.json()  # the customer's view
        event = agent.receive_json()
        while event["type"] != "state":
            event = agent.receive_json()
        assert (event["conversation_id"], event["state"], event["action"]) == (
            cid,
            "closed",
            "close",
        )
    version = client.get(f"/v1/conversations/{cid}", headers=me).json()["conversation"]["version"]
    again = client.post(f"/v1/conversations/{cid}/leave", json={}, headers=me)
    assert again.status_code == 200 and again.json()["version"] == version  # idempotent

    trail = client.get(f"/v1/conversations/{cid}/transitions", headers=bearer(ADMIN_KEY)).json()
    close = trail[-1]
    assert [t["action"] for t in trail] == ["request_handoff", "close"]
    assert close["from_state"] == "queued" and close["reason"].startswith("abandoned")
    assert close["actor"] == f"customer:{cid}"
    assert [i["conversation"]["id"] for i in _queue(client)] == [other]
    with Session(_services(client).engine) as s:
        closed = s.scalars(
            select(OutboxEventRow).where(OutboxEventRow.type == "conversation.closed")
        ).all()
    assert [e.payload["conversation_id"] for e in closed] == [cid]
    assert closed[0].payload["reason"].startswith("abandoned")


def test_only_the_conversations_customer_or_staff_may_mark_it_left(client):
    cid, _ = _queue_up(client)
    _, stranger = start(client, None)
    r = client.post(f"/v1/conversations/{cid}/leave", json={}, headers=stranger)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get("/v1/handoff/queue", headers=stranger).status_code == 403
    r = client.post(f"/v1/conversations/{cid}/leave", json={}, headers=agent_headers(client))
    assert r.status_code == 200 and r.json()["state"] == "closed"
    trail = client.get(f"/v1/conversations/{cid}/transitions", headers=bearer(ADMIN_KEY)).json()
    assert trail[-1]["actor"] == "agent:alice"


def test_leaving_what_does_not_wait_is_a_clear_4xx(client):
    alice = agent_headers(client)
    r = client.post("/v1/conversations/nope/leave", json={}, headers=alice)
    assert r.status_code == 404 and r.json()["error"]["code"] == "conversation_not_found"

    cid, me = start(client)  # the bot has it
    r = client.post(f"/v1/conversations/{cid}/leave", json={}, headers=me)
    assert r.status_code == 409
    assert "only a conversation waiting for a person" in r.json()["error"]["message"]

    closed, closed_me = _queue_up(client)
    client.post(f"/v1/conversations/{closed}/close", json={}, headers=alice)  # not abandoned
    r = client.post(f"/v1/conversations/{closed}/leave", json={}, headers=closed_me)
    assert r.status_code == 409 and r.json()["error"]["code"] == "conversation_closed"

    r = client.post(f"/v1/conversations/{cid}/leave", json={"departure": "gone"}, headers=me)
    assert r.status_code == 422


def _sweep(client, after_s):
    now = datetime.now(UTC) + timedelta(seconds=after_s)
    return client.portal.call(client.app.state.abandonment.sweep, now)


def test_the_sweep_closes_a_silent_customer_and_spares_the_others(client):
    silent, _ = _queue_up(client)
    claimed, _ = _queue_up(client)
    client.post(f"/v1/conversations/{claimed}/claim", headers=agent_headers(client))
    assert _sweep(client, 14 * 60) == []  # under 15 min of silence
    assert _sweep(client, 16 * 60) == [silent]
    trail = client.get(f"/v1/conversations/{silent}/transitions", headers=bearer(ADMIN_KEY)).json()
    assert trail[-1]["action"] == "close" and trail[-1]["actor"] == "system"
    assert trail[-1]["reason"] == "abandoned: no sign of the customer for 15 min"
    assert _queue(client) == []
    state = client.get(f"/v1/conversations/{claimed}", headers=bearer(ADMIN_KEY)).json()
    assert state["conversation"]["state"] == "human"


def test_the_sweep_leaves_alone_what_an_integration_drives(client):
    """A conversation whose customer never polled (Chatwoot or a CCaaS posting with an
    API key) is not judged by its silence: a person of the desk may own it there."""
    cid, _ = start(client, "C-2")
    r = client.post(f"/v1/conversations/{cid}/handoff", json={}, headers=bearer(ASSIST_KEY))
    assert r.status_code == 200 and r.json()["state"] == "queued"
    assert _sweep(client, 5 * 3600) == []


def test_a_page_that_left_is_closed_after_the_grace_unless_the_customer_comes_back(client):
    gone, gone_me = _queue_up(client)
    back, back_me = _queue_up(client)
    for cid, me in ((gone, gone_me), (back, back_me)):
        r = client.post(
            f"/v1/conversations/{cid}/leave", json={"departure": "page_left"}, headers=me
        )
        assert r.status_code == 200 and r.json()["state"] == "queued"  # only a maybe
    _place(client, back, back_me)  # the reloaded page polls: a sign of life
    assert _sweep(client, 30) == []  # within the grace
    assert _sweep(client, 90) == [gone]
    trail = client.get(f"/v1/conversations/{gone}/transitions", headers=bearer(ADMIN_KEY)).json()
    assert trail[-1]["reason"].startswith("abandoned: the customer's page closed")
    assert [i["conversation"]["id"] for i in _queue(client)] == [back]


def test_the_analytics_count_leaving_and_the_sweep_as_abandoned_in_queue(client):
    left, me = _queue_up(client)
    client.post(f"/v1/conversations/{left}/leave", json={}, headers=me)
    _queue_up(client)
    assert len(_sweep(client, 16 * 60)) == 1
    r = client.get("/v1/analytics/summary", headers=bearer(ADMIN_KEY))
    assert r.status_code == 200, r.text
    a = r.json()
    assert (a["abandoned_in_queue"], a["still_queued"]) == (2, 0)


def test_a_bad_weights_file_stops_the_start_naming_the_file(make_client, tmp_path):
    bad = tmp_path / "queue.yml"
    bad.write_text("frustration: lots\n", encoding="utf-8")
    settings = Settings(
        demo_api_key=ASSIST_KEY, demo_admin_key=ADMIN_KEY, rasa_url=None, queue_weights=bad
    )
    with pytest.raises(QueueConfigError, match=str(bad)):
        make_client(settings=settings)
