"""Marketing suppression (retrieval/suppression.py): the rules of data/journey/
suppression.yml at a given `now`, the batch evaluation over the store agreeing with the
customer context, the next best action built on it, and the demo's failed activation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from retrieval.context import ContextBuilder, CustomerContext, SentimentTrend
from retrieval.demo.generate import generate, write
from retrieval.errors import ConfigError
from retrieval.journey import StageResult
from retrieval.nba import NextBestActionRules
from retrieval.schemas import Event, Ticket
from retrieval.store import SqlHistoryStore
from retrieval.suppression import SuppressionRules, normalise_type
from retrieval.suppression_batch import SuppressionBatch

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
RULES = SuppressionRules.load()


def ev(type_: str, days_ago: float, **kw: Any) -> Event:
    return Event(
        kw.pop("id", f"E-{type_}-{days_ago}"),
        "C",
        kw.pop("channel", "app"),
        type_,
        NOW - timedelta(days=days_ago),
        kw.pop("text", ""),
        kw.pop("intent", None),
        None,
        None,
        kw.pop("attributes", {}),
    )


def ticket(status: str = "open", tid: str = "T-1") -> Ticket:
    opened = NOW - timedelta(days=2)
    return Ticket(tid, "C", "activation_problem", status, "phone", "high", None, "", opened, None)


def test_a_failed_activation_suppresses_for_fourteen_days_then_releases():
    e = ev("activation_failed", 1)
    s = RULES.evaluate(NOW, events=[e])
    assert s.allowed is False and s.at == NOW
    [r] = s.reasons
    assert (r.reason, r.event_type, r.event_id) == ("activation_failed", "activation_failed", e.id)
    assert r.since == e.ts and r.until == e.ts + timedelta(days=14) == s.until
    assert "activation failed" in r.detail
    later = RULES.evaluate(e.ts + timedelta(days=14), events=[e])
    assert later.allowed is True and later.reasons == [] and later.until is None


@pytest.mark.parametrize(
    "spelling",
    ["Activation-Failed", "activationFailed", " activation failed ", "ACTIVATION_FAILED"],
)
def test_event_types_match_whatever_their_case_and_separators(spelling):
    assert normalise_type(spelling) == "activation_failed"
    assert RULES.evaluate(NOW, events=[ev(spelling, 1)]).reasons[0].reason == "activation_failed"


def test_unknown_event_types_and_old_failures_are_ignored():
    events = [ev("page_view", 0.1), ev("moon_landing", 0.1), ev("payment_failed", 8)]
    assert RULES.evaluate(NOW, events=events).allowed is True
    assert RULES.evaluate(NOW, events=[ev("payment_declined", 6)]).reasons[0].reason == (
        "payment_failed"
    )
    assert RULES.evaluate(NOW, events=[ev("delivery_delayed", 1)]).reasons[0].reason == (
        "delivery_late"
    )


def test_a_complaint_counts_by_type_or_by_the_message_intent():
    by_intent = RULES.evaluate(NOW, events=[ev("call", 20, intent="complaint", channel="phone")])
    assert [r.reason for r in by_intent.reasons] == ["complaint"]
    assert by_intent.until == NOW + timedelta(days=10)


def test_one_reason_per_rule_the_one_ending_last():
    s = RULES.evaluate(NOW, events=[ev("payment_failed", 1), ev("payment_failed", 3)])
    assert len(s.reasons) == 1 and s.until == NOW + timedelta(days=6)


def test_consent_and_open_tickets_have_no_end_of_their_own():
    s = RULES.evaluate(NOW, opt_out=True, tickets=[ticket(), ticket("resolved", "T-2")])
    assert [(r.reason, r.ticket_id, r.until) for r in s.reasons] == [
        ("opt_out", None, None),
        ("open_ticket", "T-1", None),
    ]
    assert s.allowed is False and s.until is None  # not known when it ends
    both = RULES.evaluate(NOW, events=[ev("activation_failed", 1)], tickets=[ticket()])
    assert both.until is None and both.reasons[1].until is not None


def test_negative_sentiment_stored_scored_or_current():
    stored = ev("call", 2, channel="phone", attributes={"sentiment": -0.5})
    s = RULES.evaluate(NOW, events=[stored])
    assert [r.reason for r in s.reasons] == ["negative_sentiment"]
    assert s.until == stored.ts + timedelta(days=7)
    assert RULES.evaluate(stored.ts + timedelta(days=6.9), events=[stored]).allowed is False
    assert RULES.evaluate(stored.ts + timedelta(days=7), events=[stored]).allowed is True
    # a chat turn annotated by the conversation (compound and frustration in its attributes)
    turn = ev("chat_customer", 1, channel="chat", attributes={"sentiment": -0.6})
    assert RULES.evaluate(NOW, events=[turn]).reasons[0].event_id == turn.id
    # the analysis mapping as some senders ingest it
    mapped = ev("chat_customer", 1, channel="chat", attributes={"sentiment": {"compound": -0.9}})
    assert RULES.evaluate(NOW, events=[mapped]).allowed is False
    # a customer message without a score is scored; other events' texts never are
    email = ev("email_received", 1, channel="email", text="awful, never again")
    assert RULES.evaluate(NOW, events=[email], score=lambda t: -0.8).allowed is False
    assert RULES.evaluate(NOW, events=[email]).allowed is True
    note = ev("order_shipped", 1, text="awful")
    assert RULES.evaluate(NOW, events=[note], score=lambda t: -0.8).allowed is True
    assert RULES.evaluate(NOW, current_sentiment=-0.7).reasons[0].until == NOW + timedelta(days=7)
    assert RULES.evaluate(NOW, current_sentiment=0.2).allowed is True


def test_frustration_of_a_stored_turn_or_of_the_turn_being_answered():
    turn = ev("chat_customer", 1, channel="chat", attributes={"sentiment": 0.0, "frustration": 0.8})
    s = RULES.evaluate(NOW, events=[turn])
    assert [r.reason for r in s.reasons] == ["frustration"]
    assert s.until == turn.ts + timedelta(days=3)
    calm = RULES.evaluate(NOW, stage="retain")
    live = RULES.with_turn(calm, 0.9, NOW)
    assert [r.reason for r in live.reasons] == ["frustration", "stage"]
    assert RULES.with_turn(calm, 0.1, NOW) is calm
    assert RULES.with_turn(calm, None, NOW) is calm


def test_stage_suppresses_while_it_holds():
    s = RULES.evaluate(NOW, stage="retain")
    assert s.reasons[0].reason == "stage" and s.until is None
    assert RULES.evaluate(NOW, stage="onboard").allowed is True


def test_allowed_has_no_reasons_and_no_until():
    s = RULES.evaluate(NOW, events=[ev("order_delivered", 1)], stage="advocate")
    assert (s.allowed, s.reasons, s.until) == (True, [], None)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"moon": 1}, "unknown key"),
        ({"events": ["activation_failed"]}, "a map of rule name"),
        ({"frustration": {"at_least": 2}}, "frustration.at_least in"),
        ({"events": {"x": {"types": ["a"]}}}, "needs days"),
        ({"events": {"x": {"types": ["a"], "days": 0}}}, "days must be > 0"),
        ({"events": {"x": {"types": ["a"], "days": "soon"}}}, "must be a number"),
        ({"events": {"x": {"days": 1}}}, "list types or intents"),
        ({"events": {"stage": {"types": ["a"], "days": 1}}}, "a name other than"),
        (
            {"events": {"x": {"types": ["A-b"], "days": 1}, "y": {"types": ["a_b"], "days": 2}}},
            "'a_b' is in x and y",
        ),
    ],
)
def test_the_config_is_validated(doc, message):
    with pytest.raises(ConfigError, match=message):
        SuppressionRules(doc)


def test_the_default_config_lists_the_failures_of_the_data():
    names = {r.name for r in RULES.rules}
    assert {"activation_failed", "payment_failed", "delivery_late", "complaint"} <= names
    assert RULES.horizon == timedelta(days=30) and RULES.stages == {"retain"}


def test_next_best_action_reports_the_context_suppression_plus_the_turn():
    rules = NextBestActionRules.load(suppression=RULES)
    base = RULES.evaluate(NOW, opt_out=True)
    ctx = CustomerContext(
        customer_id="C",
        name="Ann",
        tier="standard",
        customer_since=None,
        marketing_opt_out=True,
        orders_count=1,
        lifetime_value=1.0,
        open_orders=[],
        open_tickets=[],
        last_interactions=[],
        sentiment=SentimentTrend(0.2, 0.1, "stable", False, 2),
        stage=StageResult("onboard", 0.6, {}, []),
        suppression=base,
    )
    nba = rules.decide(ctx, frustration=0.9)
    assert nba.marketing_allowed is False and nba.marketing_until is None
    assert [r.reason for r in nba.suppression_reasons] == ["opt_out", "frustration"]
    assert nba.marketing_reasons == [r.detail for r in nba.suppression_reasons]
    with pytest.raises(ConfigError, match="moved to data/journey/suppression.yml"):
        NextBestActionRules({"marketing": {}, "actions": [{"id": "a", "action": "b"}]})


# ---------------------------------------------------------------- over the store


@pytest.fixture
def demo_store(tmp_path) -> SqlHistoryStore:
    store = SqlHistoryStore.open(f"sqlite:///{tmp_path / 'demo.db'}")
    write(generate(40, seed=7, now=NOW), store)
    return store


def test_demo_failed_activation_is_suppressed_and_a_happy_customer_is_not(demo_store):
    builder = ContextBuilder(demo_store, sentiment=lambda text: 0.0)
    ctx = builder.build("C-0004", now=NOW)
    assert ctx.marketing_allowed is False
    by_reason = {r.reason: r for r in ctx.suppression_reasons}
    activation = by_reason["activation_failed"]
    assert activation.event_type == "activation_failed" and activation.since is not None
    assert activation.until == activation.since + timedelta(days=14)
    assert activation.until > NOW
    assert by_reason["open_ticket"].ticket_id == "T-9004"  # open: no end of its own
    assert ctx.marketing_until is None
    happy = builder.build("C-0006", now=NOW)
    assert (happy.marketing_allowed, happy.suppression_reasons) == (True, [])


def test_batch_evaluation_agrees_with_the_context(demo_store):
    builder = ContextBuilder(demo_store, sentiment=lambda text: -0.5 if "!" in text else 0.1)
    batch = SuppressionBatch(demo_store, builder.suppression, builder.journey, builder.score)
    ids = [*demo_store.customer_ids(), "C-NOBODY"]
    many = batch.evaluate(ids, NOW)
    assert set(many) == set(ids) - {"C-NOBODY"}
    for cid in ids[:-1]:
        assert many[cid] == builder.build(cid, now=NOW).suppression, cid
    assert any(s.allowed for s in many.values()) and any(not s.allowed for s in many.values())


def test_batch_evaluation_on_both_backends(store):
    store.upsert_customers([{"id": "C-A", "name": "A"}, {"id": "C-B", "name": "B"}])
    store.ingest_events(
        [
            {
                "id": "e1",
                "customer_id": "C-A",
                "channel": "app",
                "type": "Payment-Failed",
                "ts": NOW - timedelta(days=1),
            }
        ]
    )
    out = SuppressionBatch(store, RULES).evaluate(["C-A", "C-B", "C-?"], NOW)
    assert out["C-A"].reasons[0].reason == "payment_failed" and out["C-B"].allowed
    assert "C-?" not in out
