from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bench.retrieval_stage import load
from retrieval.errors import ConfigError
from retrieval.journey import DialogueTurn, JourneyConfig, JourneyModel
from retrieval.schemas import Event, Order, Ticket

NOW = datetime.now(UTC)


def order(status: str, days: float, delivered: float | None = None) -> Order:
    d = NOW - timedelta(days=delivered) if delivered is not None else None
    return Order(
        "O1",
        "X",
        status,
        [{"name": "Nova X5"}],
        1.0,
        "EUR",
        NOW - timedelta(days=days),
        None,
        d,
        None,
        None,
        None,
        None,
        None,
    )


def event(type_: str, days: float, intent: str | None = None) -> Event:
    return Event(
        f"{type_}{days}",
        "X",
        "app",
        type_,
        NOW - timedelta(days=days),
        type_,
        intent,
        None,
        None,
        {},
    )


@pytest.fixture(scope="module")
def model() -> JourneyModel:
    """The seven-stage model (the 5A one: test_retrieval_stage_models.py)."""
    return JourneyModel(JourneyConfig.load(model="lifecycle"))


def test_delivery_question_is_consider_without_order_and_onboard_with_one_in_transit(model):
    assert model.infer("delivery_period", now=NOW).stage == "consider"
    in_transit = model.infer("delivery_period", orders=[order("in_transit", 1)], now=NOW)
    assert in_transit.stage == "onboard"
    assert any(ev.name == "open_order" for ev in in_transit.evidence)
    # a delivered (closed) order does not make the question post-purchase
    assert (
        model.infer("delivery_period", orders=[order("delivered", 200, 197)], now=NOW).stage
        == "consider"
    )


def test_failed_activation_evidence_names_delivery_failure_and_ticket(model):
    ticket = Ticket(
        "T1",
        "X",
        "activation_problem",
        "open",
        "phone",
        "high",
        "O1",
        "",
        NOW - timedelta(days=1),
        None,
    )
    r = model.infer(
        "complaint",
        events=[
            event("order_delivered", 2),
            event("activation_failed", 1.8),
            event("call", 1, "activation_problem"),
        ],
        orders=[order("delivered", 3, 2)],
        tickets=[ticket],
        now=NOW,
    )
    assert r.stage == "onboard"
    names = {ev.name for ev in r.evidence}
    assert {"activation_failed", "open_ticket", "order_delivered"} <= names
    assert r.evidence == sorted(r.evidence, key=lambda x: -x.weight)
    assert 0 < r.confidence <= 1 and r.scores["onboard"] == max(r.scores.values())


def test_recency_weighting_lets_the_journey_move_back(model):
    old_refund = [event("refund_requested", 60), event("return_started", 60)]
    new_refund = [event("refund_requested", 0.5), event("return_started", 0.5)]
    browsing = [event("product_view", 0.2), event("search", 0.3)]
    assert model.infer(None, events=old_refund + browsing, now=NOW).stage == "consider"
    assert model.infer(None, events=new_refund + browsing, now=NOW).stage == "retain"
    ancient = [event("refund_requested", 400)]  # beyond the horizon: ignored
    assert model.infer(None, events=ancient, now=NOW).evidence[0].name == "no_history"


def test_config_is_validated():
    with pytest.raises(ConfigError):
        JourneyConfig.from_dict({"stages": ["a"], "intents": {"x": {"b": 1}}})
    with pytest.raises(ConfigError):
        JourneyConfig.from_dict({"stages": []})
    with pytest.raises(ConfigError):
        JourneyConfig.from_dict(
            {"stages": ["a"], "intents": {"x": {"default": {"a": 1}, "someday": {"a": 1}}}}
        )


def test_labelled_evaluation_set_accuracy_does_not_regress(model):
    cases = load()
    assert len(cases) >= 100 and len({c.label for c in cases}) == 7
    acc = sum(
        model.infer(c.intent, c.events, c.orders, c.tickets, NOW).stage == c.label for c in cases
    ) / len(cases)
    assert acc >= 0.88


def _chat(turn: str, days: float, intent: str, conversation: str) -> Event:
    return Event(
        f"{conversation}:{turn}",
        "X",
        "chat",
        "chat_customer",
        NOW - timedelta(days=days),
        f"said {intent}",
        intent,
        None,
        None,
        {"conversation_id": conversation},
    )


def test_the_stage_reads_the_whole_dialogue_and_says_so(model):
    """A customer who first asked to cancel and now says 'hi' is still leaving: the earlier
    turns of this chat count (the latest most), and so do past chats, each named."""
    alone = model.infer("greet")
    dialogue = [DialogueTurn("t1", "cancel_order", "I want to cancel everything")]
    read = model.infer("greet", dialogue=dialogue)
    assert read.stage != alone.stage and read.stage == model.infer("cancel_order").stage
    said = [e for e in read.evidence if e.kind == "dialogue"]
    assert said and said[0].ref == "t1" and "earlier in this chat" in (said[0].text or "")
    # the latest turn weighs most
    two = [
        DialogueTurn("t1", "track_order", "where is it"),
        DialogueTurn("t2", "cancel_order", "cancel it"),
    ]
    scores = model.infer(None, dialogue=two).scores
    assert scores["retain"] > scores["support"] > 0
    assert model.infer(None, dialogue=two[::-1]).scores["support"] > scores["support"]
    # this chat's own events are not counted twice; an earlier chat is a past chat
    events = [_chat("t1", 0, "cancel_order", "now"), _chat("p1", 2, "cancel_order", "before")]
    result = model.infer("greet", events, dialogue=dialogue, conversation_id="now")
    refs = [e.ref for e in result.evidence]
    assert "now:t1" not in refs and "before:p1" in refs
    past = next(e for e in result.evidence if e.ref == "before:p1")
    assert past.kind == "past_chat" and (past.text or "").startswith("in a chat on ")
