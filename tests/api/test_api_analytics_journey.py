"""The journey part of the supervisors' analytics: a conversation's stage is the one its
customer was in when they wrote (history as it stood then, not as it is now); customers
are followed from their first conversation's stage to their stage at the end of the
period; the stage filter, CSAT and suggestion use by stage and intent, and the CSV."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api_helpers import ADMIN_KEY, ASSIST_KEY, bearer, seed
from test_api_analytics import _known_outcomes, _say

from api.analytics_journey import StageClock, order_then, ticket_then
from api.storage.schema import open_database
from retrieval.journey import JourneyModel
from retrieval.store import SqlHistoryStore

ADMIN = bearer(ADMIN_KEY)
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _summary(client, **params):
    r = client.get("/v1/analytics/summary", params=params, headers=ADMIN)
    assert r.status_code == 200, r.text
    return r.json()


def _stages(a):
    return {s["stage"]: s for s in a["journey"]["stages"]}


def test_each_conversation_is_counted_in_the_stage_its_customer_was_in(client):
    # C-1 has a shipped order: order questions are onboarding, the refund is retention;
    # "I want a human" and the silent conversation name no topic: the history decides
    _known_outcomes(client)
    a = _summary(client)
    stages = _stages(a)
    assert a["journey"]["model"] == "lifecycle"
    assert list(stages) == ["aware", "consider", "purchase", "onboard", "support", "retain", "advocate"]  # fmt: skip
    assert {s: f["conversations"] for s, f in stages.items() if f["conversations"]} == {
        "onboard": 4,
        "retain": 1,
    }
    assert sum(f["conversations"] for f in stages.values()) == a["conversations"]
    # one customer, followed from their first conversation (onboard) to now (onboard)
    assert a["journey"]["followed"] == 1
    assert a["journey"]["flows"] == [
        {"from_stage": "onboard", "to_stage": "onboard", "customers": 1}
    ]
    assert (stages["onboard"]["customers"], stages["onboard"]["stayed"]) == (1, 1)
    assert a["csat"]["by_stage"] == [{"name": "retain", "ratings": 1, "mean": 5.0}]
    assert a["suggestions"]["by_intent"] == [
        {"intent": "get_refund", "shown": 2, "used": 1, "edited": 0, "dismissed": 0}
    ]


def test_customers_are_followed_to_where_they_are_at_the_end(client):
    _known_outcomes(client)
    cid, me = _start_for(client, "C-2")  # no orders: a refund request is retention...
    _say(client, cid, me, "I want a refund")
    review = {
        "id": "ev-review", "customer_id": "C-2", "channel": "web", "type": "review_posted",
        "ts": datetime.now(UTC).isoformat(),
    }  # fmt: skip
    assert client.post("/v1/events", json=review, headers=ADMIN).status_code == 200
    a = _summary(client)  # ...then they post a review: an advocate by the end
    flows = {(f["from_stage"], f["to_stage"]): f["customers"] for f in a["journey"]["flows"]}
    assert flows == {("onboard", "onboard"): 1, ("retain", "advocate"): 1}
    stages = _stages(a)
    assert (stages["retain"]["customers"], stages["retain"]["left"]) == (1, 1)
    assert stages["retain"]["conversations"] == 2  # C-1's refund too; the review came after
    # the stage filter: conversations started in it, and only their customers followed
    retain = _summary(client, stage="retain")
    assert (retain["stage"], retain["conversations"], retain["handed_off"]) == ("retain", 2, 1)
    assert retain["journey"]["followed"] == 2
    bad = client.get("/v1/analytics/summary", params={"stage": "nirvana"}, headers=ADMIN)
    assert bad.status_code == 422
    assert (
        "nirvana" in bad.json()["error"]["message"] and "onboard" in bad.json()["error"]["message"]
    )


def test_the_csv_carries_the_journey(client):
    _known_outcomes(client)
    r = client.get("/v1/analytics/summary", params={"format": "csv"}, headers=ADMIN)
    rows = dict(line.split(",", 1) for line in r.text.splitlines()[1:])
    assert rows["journey.stage.onboard.conversations"] == "4"
    assert rows["journey.flow.onboard.onboard"] == "1"
    assert rows["csat.stage.retain"] == "5.0"
    assert rows["suggestions.intent.get_refund.used"] == "1"


def _start_for(client, customer_id):
    r = client.post(
        "/v1/conversations", json={"customer_id": customer_id}, headers=bearer(ASSIST_KEY)
    )
    assert r.status_code == 201, r.text
    return r.json()["conversation"]["id"], bearer(r.json()["token"])


# ------------------------------------------------------------------ history as it stood


def _history(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path}/h.db")
    store = seed(SqlHistoryStore(engine))
    return engine, store


def test_the_stage_at_a_moment_reads_only_what_had_happened_by_then(tmp_path):
    engine, store = _history(tmp_path)
    events = [
        {"id": "a", "customer_id": "C-2", "channel": "web", "type": "product_view", "ts": T0},
        {"id": "b", "customer_id": "C-2", "channel": "web", "type": "product_view", "ts": T0},
        {"id": "c", "customer_id": "C-2", "channel": "web", "type": "refund_requested",
         "ts": T0 + timedelta(days=2)},
    ]  # fmt: skip
    assert store.ingest_events(events).created == 3
    naive = T0.replace(tzinfo=None)
    clock = StageClock(engine, JourneyModel(), ["C-2"], naive, naive + timedelta(days=3))
    assert clock.at("C-2", naive + timedelta(hours=1)) == "consider"
    assert clock.at("C-2", naive + timedelta(days=2, hours=1)) == "retain"
    assert clock.at("C-2", naive + timedelta(hours=1), "place_order") == "purchase"
    assert clock.at(None, naive, "get_refund") == "retain"  # a visitor: the request alone


def test_orders_and_tickets_are_read_as_they_stood(tmp_path):
    engine, store = _history(tmp_path)
    order = store.orders("C-1")[0]
    placed = order.placed_at
    assert order_then(order, placed - timedelta(seconds=1)) is None
    delivered = order.__class__(
        **{
            **{f: getattr(order, f) for f in order.__dataclass_fields__},
            "status": "delivered",
            "shipped_at": placed + timedelta(days=1),
            "delivered_at": placed + timedelta(days=2),
        }
    )
    assert order_then(delivered, placed + timedelta(hours=1)).status == "placed"
    assert order_then(delivered, placed + timedelta(days=1, hours=1)).status == "in_transit"
    assert order_then(delivered, placed + timedelta(days=3)).status == "delivered"
    store.upsert_tickets(
        [
            {"id": "T-1", "customer_id": "C-1", "topic": "activation_problem",
             "status": "resolved", "channel": "email", "priority": "normal", "summary": "x",
             "opened_at": T0, "updated_at": T0 + timedelta(days=1)},
        ]
    )  # fmt: skip
    ticket = store.tickets("C-1")[0]
    assert ticket_then(ticket, T0 - timedelta(hours=1)) is None
    assert ticket_then(ticket, T0 + timedelta(hours=1)).is_open
    assert not ticket_then(ticket, T0 + timedelta(days=2)).is_open
