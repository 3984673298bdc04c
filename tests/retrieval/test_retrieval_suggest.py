from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from intent.encoder import HashingEncoder
from retrieval.context import CustomerContext, SentimentTrend
from retrieval.errors import ConfigError
from retrieval.journey import StageResult
from retrieval.nba import NextBestActionRules
from retrieval.ranker import HybridRanker, RankerWeights
from retrieval.responses import DATA, SLOT, BankItem, SlotConfig, fill, load_bank

SLOTS = SlotConfig(
    {"phone": "01 23", "website": "shop.example"},
    {"Customer Support Phone Number": "shop:phone", "Order Number": "customer:order_number"},
    frozenset({"Order History"}),
)


def test_fill_uses_shop_constants_ui_labels_and_customer_facts():
    t = "Call {{Customer Support Phone Number}} about {{Order Number}} or open {{Order History}}."
    assert (
        fill(t, {"order_number": "ORD-1"}, SLOTS)
        == "Call 01 23 about ORD-1 or open 'Order History'."
    )
    assert fill(t, {}, SLOTS) is None  # the customer has no order number: not shown
    assert fill("See {{Mystery Slot}}", {"x": "y"}, SLOTS) is None


def test_shipped_bank_has_templates_for_the_bitext_intents_and_every_slot_has_a_source():
    doc = json.loads((DATA / "bitext_templates.json").read_text())
    assert len({i["intent"] for i in doc["items"]}) == 27
    config = SlotConfig.load()
    for item in load_bank():
        assert all(config.source(s) for s in SLOT.findall(item.text)), item.id
    kinds = {i.kind for i in load_bank()}
    assert {"template", "article", "reply"} <= kinds
    assert sum(i.kind == "article" for i in load_bank()) >= 12


@pytest.fixture(scope="module")
def ranker() -> HybridRanker:
    items = [
        BankItem(
            "a",
            "template",
            "We ship in two days.",
            ("delivery_period",),
            ("consider",),
            ("how long is delivery",),
            "a",
            "s",
        ),
        BankItem(
            "b",
            "template",
            "Your refund is on its way.",
            ("track_refund",),
            ("retain",),
            ("where is my refund",),
            "b",
            "s",
        ),
        BankItem(
            "c",
            "reply",
            "Hi {{Customer First Name}}, order {{Order Number}} ships soon.",
            ("track_order",),
            (),
            ("where is my order",),
            "c",
            "s",
        ),
        BankItem(
            "d", "article", "Delivery takes two days; refunds five days.", (), (), (), "d", "s"
        ),
    ]
    slots = SlotConfig(
        {}, {"Customer First Name": "customer:first_name", "Order Number": "customer:order_number"}
    )
    return HybridRanker(items, HashingEncoder(64), slots=slots).warm_up()


def test_ranker_returns_filled_suggestions_with_source_and_score(ranker):
    out = ranker.rank("where is my order", k=4, facts={"first_name": "Ann", "order_number": "O-7"})
    assert out[0].id == "c" and out[0].text == "Hi Ann, order O-7 ships soon."
    assert all(s.source and isinstance(s.score, float) and s.components for s in out)
    unfilled = ranker.rank("where is my order", k=4, facts={})
    assert "c" not in [s.id for s in unfilled]
    with pytest.raises(ValueError):
        ranker.rank("x", k=0)


def test_intent_and_stage_condition_the_ranking(ranker):
    query = "status update please"
    assert ranker.rank(query, k=1, intent="track_refund")[0].id == "b"
    assert ranker.rank(query, k=1, intent="delivery_period")[0].id == "a"
    no_cond = ranker.rank(query, k=3)
    with_stage = ranker.rank(query, k=3, stage="retain")
    assert (
        with_stage[[s.id for s in with_stage].index("b")].score
        > no_cond[[s.id for s in no_cond].index("b")].score
    )


def test_weights_are_validated():
    with pytest.raises(ValueError):
        RankerWeights(case_dense=-1)


def ctx(**kw) -> CustomerContext:
    base = dict(
        customer_id="C",
        name="Ann",
        tier="standard",
        customer_since=None,
        marketing_opt_out=False,
        orders_count=1,
        lifetime_value=1.0,
        open_orders=[],
        open_tickets=[],
        last_interactions=[],
        sentiment=SentimentTrend(0.2, 0.1, "stable", False, 2),
        stage=StageResult("onboard", 0.6, {}, []),
    )
    base.update(kw)
    return CustomerContext(**base)


def test_marketing_is_suppressed_with_reasons():
    """The action carries the context's suppression (retrieval/suppression.py, tested in
    test_retrieval_suppression.py) plus the frustration of the turn."""
    rules = NextBestActionRules.load()
    now = datetime(2026, 3, 10, tzinfo=UTC)
    assert rules.decide(ctx()).marketing_allowed is True
    negative = rules.suppression.evaluate(now, current_sentiment=-0.6)
    neg = rules.decide(ctx(suppression=negative))
    assert neg.marketing_allowed is False and "negative sentiment" in neg.marketing_reasons[0]
    opted_out = rules.suppression.evaluate(now, opt_out=True)
    assert "opted out" in rules.decide(ctx(suppression=opted_out)).marketing_reasons[0]
    assert rules.decide(ctx(), frustration=0.9).marketing_allowed is False


def test_rules_config_is_validated():
    with pytest.raises(ConfigError):
        NextBestActionRules(
            {"actions": [{"id": "x", "action": "y", "when": {"moon_phase": "full"}}]}
        )
    with pytest.raises(ConfigError):
        NextBestActionRules({"actions": []})
