"""Supervisors' analytics: exact counts over conversations with known outcomes (contained,
handed off and served, abandoned in the queue, silent, on another channel), CSV export,
the period and who may read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_helpers import ADMIN_KEY, ASSIST_KEY, agent_headers, bearer

CCAAS = bearer(ASSIST_KEY)
ADMIN = bearer(ADMIN_KEY)


def _start(client, channel="web"):
    r = client.post(
        "/v1/conversations", json={"customer_id": "C-1", "channel": channel}, headers=CCAAS
    )
    assert r.status_code == 201, r.text
    return r.json()["conversation"]["id"], bearer(r.json()["token"])


def _say(client, cid, me, text):
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": text}, headers=me)
    assert r.status_code == 200, r.text


def _known_outcomes(client):
    # 1. contained: the bot answers, the customer leaves
    cid, me = _start(client)
    _say(client, cid, me, "where is my order?")
    client.post(f"/v1/conversations/{cid}/close", json={}, headers=me)
    # 2. handed off, claimed, answered, handed back, rated 5 (solved)
    served, me2 = _start(client)
    _say(client, served, me2, "I want a refund")
    client.post(f"/v1/conversations/{served}/handoff", json={"reason": "refund"}, headers=me2)
    alice = agent_headers(client)
    client.post(f"/v1/conversations/{served}/claim", headers=alice)
    client.post(f"/v1/conversations/{served}/agent-messages", json={"text": "Done."}, headers=alice)
    client.post(f"/v1/conversations/{served}/hand-back", json={}, headers=alice)
    rating = {
        "kind": "rating", "action": "rated", "conversation_id": served, "rating": 5,
        "resolved": True,
    }  # fmt: skip
    assert client.post("/v1/feedback", json=rating, headers=CCAAS).status_code == 201
    for action, sid in (("shown", "s-1"), ("shown", "s-2"), ("used", "s-1")):
        shown = {
            "kind": "suggestion",
            "action": action,
            "conversation_id": served,
            "suggestion_id": sid,
        }
        assert client.post("/v1/feedback", json=shown, headers=alice).status_code == 201
    # 3. handed off, then the customer left while waiting
    left, me3 = _start(client)
    _say(client, left, me3, "I want a human")
    client.post(f"/v1/conversations/{left}/handoff", json={"reason": "asked"}, headers=me3)
    client.post(f"/v1/conversations/{left}/close", json={}, headers=me3)
    # 4. started, never written in
    _start(client)
    # 5. contained, on the app
    app, me5 = _start(client, "app")
    _say(client, app, me5, "where is my order?")
    return served


def test_the_summary_counts_known_outcomes_exactly(client):
    _known_outcomes(client)
    r = client.get("/v1/analytics/summary", headers=ADMIN)
    assert r.status_code == 200, r.text
    a = r.json()
    assert (a["conversations"], a["with_customer_message"]) == (5, 4)
    assert (a["contained"], a["handed_off"], a["claimed"]) == (2, 2, 1)
    assert a["containment_rate"] == 0.5 and a["handoff_rate"] == 0.5
    assert {c["name"]: c["count"] for c in a["handoff_reasons"]} == {
        "refund": 1,
        "the customer asked for a person": 1,  # the policy, at "I want a human"
    }
    assert a["queue_wait"]["count"] == 1 and a["queue_wait"]["median_s"] >= 0
    assert a["first_agent_reply"]["count"] == 1
    assert (a["abandoned_in_queue"], a["still_queued"], a["closed"]) == (1, 0, 2)
    assert a["csat"] == {
        "ratings": 1, "mean": 5.0, "distribution": {"5": 1}, "resolved_yes": 1, "resolved_no": 0,
        "by_agent": [{"name": "alice", "ratings": 1, "mean": 5.0}],
        "by_intent": [{"name": "get_refund", "ratings": 1, "mean": 5.0}],
        "by_stage": [{"name": "retain", "ratings": 1, "mean": 5.0}],
    }  # fmt: skip
    # first requests: "where is my order?" twice (the app one 7 days or less after the web
    # one: a repeat), the refund; "I want a human" names no topic
    assert {c["name"]: c["count"] for c in a["intents"]} == {"track_order": 2, "get_refund": 1}
    assert (a["with_topic"], a["repeat_contacts"]) == (3, 1)
    assert a["suggestions"]["actions"] == {"shown": 2, "used": 1}
    assert a["suggestions"]["use_rate"] == 0.5
    assert a["suggestions"]["top"][0] == {
        "suggestion_id": "s-1", "shown": 1, "used": 1, "edited": 0, "dismissed": 0
    }  # fmt: skip
    # the two closed conversations' wrap-ups
    assert {c["name"]: c["count"] for c in a["dispositions"]} == {"ORD-STATUS": 1, "NO-ANSWER": 1}
    assert {c["name"]: c["count"] for c in a["outcomes"]} == {
        "resolved_by_bot": 1,
        "abandoned_in_queue": 1,
    }
    app = client.get("/v1/analytics/summary", params={"channel": "app"}, headers=ADMIN).json()
    assert (app["conversations"], app["contained"], app["handed_off"]) == (1, 1, 0)
    assert app["repeat_contacts"] == 1  # the earlier web conversation counts, any channel
    alice = client.get("/v1/analytics/summary", params={"agent": "alice"}, headers=ADMIN).json()
    assert (alice["conversations"], alice["claimed"], alice["csat"]["mean"]) == (1, 1, 5.0)
    orders = client.get(
        "/v1/analytics/summary", params={"intent": "track_order"}, headers=ADMIN
    ).json()
    assert (orders["conversations"], orders["contained"], orders["handed_off"]) == (2, 2, 0)


def test_the_period_selects_conversations_by_start(client):
    _known_outcomes(client)
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    r = client.get(
        "/v1/analytics/summary",
        params={"since": later, "until": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
        headers=ADMIN,
    )
    assert r.status_code == 200 and r.json()["conversations"] == 0
    assert r.json()["containment_rate"] is None and r.json()["queue_wait"]["median_s"] is None
    bad = client.get(
        "/v1/analytics/summary", params={"since": later, "until": later}, headers=ADMIN
    )
    assert bad.status_code == 422 and "before" in bad.json()["error"]["message"]
    year = {"since": "2024-01-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}
    assert client.get("/v1/analytics/summary", params=year, headers=ADMIN).status_code == 422


def test_csv_export_and_who_may_read(client):
    _known_outcomes(client)
    r = client.get("/v1/analytics/summary", params={"format": "csv"}, headers=ADMIN)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = dict(line.split(",", 1) for line in r.text.splitlines()[1:])
    assert rows["contained"] == "2" and rows["handoff_reason.refund"] == "1"
    assert rows["csat.rating_5"] == "1" and rows["disposition.ORD-STATUS"] == "1"
    assert client.get("/v1/analytics/summary", headers=agent_headers(client)).status_code == 403
    assert client.get("/v1/analytics/summary", headers=CCAAS).status_code == 403
    assert client.get("/v1/analytics/summary").status_code == 401


def test_dates_at_the_edge_of_the_calendar_are_a_clear_error(client):
    for since, until in (
        ("0001-01-01T00:00:00+05:00", "0001-01-02T00:00:00Z"),
        (None, "0001-01-01T00:30:00Z"),
    ):
        params = {"until": until} | ({"since": since} if since else {})
        r = client.get("/v1/analytics/summary", params=params, headers=ADMIN)
        assert r.status_code == 422, r.text


def test_what_the_bot_could_not_answer_is_clustered_by_meaning(client):
    said = [
        "what is the weather in paris today",
        "weather in paris tomorrow please",
        "will the weather be good in paris",
        "can you gift wrap my present",
        "please gift wrap my present",
        "where is my order?",  # the bot knows this one: not listed
    ]
    for text in said:
        cid, me = _start(client)
        _say(client, cid, me, text)
    r = client.get("/v1/analytics/unanswered", params={"similarity": 0.3}, headers=ADMIN)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["turns"] == 5
    sizes = [(c["size"], sorted(c["examples"])) for c in body["clusters"]]
    assert sizes == [(3, sorted(said[:3])), (2, sorted(said[3:5]))]
    weather = body["clusters"][0]
    assert weather["intents"] == ["out_of_scope"] and len(weather["conversation_ids"]) == 3
    assert weather["first_half"] + weather["second_half"] == 3
    assert client.get("/v1/analytics/unanswered", headers=agent_headers(client)).status_code == 403
    alone = client.get("/v1/analytics/unanswered", params={"min_size": 4}, headers=ADMIN).json()
    assert alone["clusters"] == []
