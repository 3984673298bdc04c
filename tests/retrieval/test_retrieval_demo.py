"""The demo-history generator and the demo stories of docs demo.md, end to end through
`AgentAssist` (deterministic HashingEncoder, SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intent.encoder import HashingEncoder
from intent.sentiment import SentimentAnalyzer
from retrieval.assist import AgentAssist
from retrieval.demo.generate import generate, write
from retrieval.ranker import HybridRanker
from retrieval.responses import load_bank
from retrieval.schemas import CHANNELS
from retrieval.store import SqlHistoryStore

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_generator_is_reproducible_and_seed_dependent():
    a, b, c = (
        generate(40, seed=7, now=NOW),
        generate(40, seed=7, now=NOW),
        generate(40, seed=8, now=NOW),
    )
    assert [e.model_dump() for e in a.events] == [e.model_dump() for e in b.events]
    assert [e.model_dump() for e in a.events] != [e.model_dump() for e in c.events]
    assert len(a.customers) == 40
    assert {e.channel for e in a.events} <= set(CHANNELS) and len(
        {e.channel for e in a.events}
    ) >= 6
    assert max(e.ts for e in a.events) <= NOW
    assert len({e.id for e in a.events}) == len(a.events)


def test_named_demo_customers_match_their_stories():
    h = generate(6, seed=1, now=NOW)
    orders = {c.id: [o for o in h.orders if o.customer_id == c.id] for c in h.customers}
    assert [c.id for c in h.customers] == [f"C-000{i}" for i in range(1, 7)]
    assert orders["C-0001"] == []
    assert [o.status for o in orders["C-0002"]] == ["in_transit"]
    assert sorted(o.status for o in orders["C-0003"]) == ["in_transit", "paid"]
    phone = orders["C-0004"][0]
    assert phone.status == "delivered" and "smartphone" in phone.items[0].name
    assert timedelta(days=2.5) <= NOW - phone.placed_at <= timedelta(days=3.5)
    ev4 = [e for e in h.events if e.customer_id == "C-0004"]
    assert any(e.type == "activation_failed" for e in ev4)
    call = next(e for e in ev4 if e.channel == "phone")
    assert (NOW - timedelta(days=1)).date() == call.ts.date()
    assert [t.status for t in h.tickets if t.customer_id == "C-0004"] == ["open"]
    assert len(orders["C-0005"]) >= 20 and h.customers[4].tier == "vip"
    last = max(orders["C-0006"], key=lambda o: o.placed_at)
    assert last.delivered_at is not None and last.eta is not None and last.delivered_at < last.eta


@pytest.fixture(scope="module")
def assist(tmp_path_factory) -> AgentAssist:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'h.db'}"
    store = SqlHistoryStore.open(url)
    write(generate(30, seed=7, now=NOW), store)  # the stories' dates are relative to NOW
    return AgentAssist(store, HybridRanker(load_bank(), HashingEncoder(128))).warm_up()


STORIES = [
    ("C-0001", "how long does delivery take to Lyon?", "delivery_period", "consider"),
    ("C-0002", "where is my order?", "track_order", "onboard"),
    ("C-0003", "where is my order?", "track_order", "onboard"),
    (
        "C-0004",
        "my new phone STILL won't activate, I already called you yesterday!!",
        "activation_problem",
        "onboard",
    ),
    ("C-0005", "I want to cancel my order and close my account", "cancel_order", "retain"),
    (
        "C-0006",
        "the delivery came a day early, great service! I want to leave a review",
        "review",
        "advocate",
    ),
]


@pytest.mark.parametrize(("cid", "text", "intent", "stage"), STORIES)
def test_demo_story_stage_and_clean_suggestions(assist, cid, text, intent, stage):
    r = assist.assist(cid, text, intent, 0.9, now=NOW)
    assert r.context.stage.stage == stage
    assert r.suggestions and all(
        "{{" not in s.text and s.source and s.score > 0 for s in r.suggestions
    )


def test_failed_activation_story(assist):
    text = "my new phone STILL won't activate, I already called you yesterday!!"
    frustration = SentimentAnalyzer().analyze(text).frustration
    r = assist.assist("C-0004", text, "activation_problem", 0.9, frustration=frustration, now=NOW)
    names = {e.name for e in r.context.stage.evidence}
    assert {"activation_failed", "open_ticket"} <= names
    first = r.suggestions[0].text
    assert "Nova X5" in first and "yesterday" in first and "T-9004" in first
    nba = r.next_best_action
    assert nba.action == "resolve activation; escalate ticket" and nba.handoff
    assert nba.marketing_allowed is False
    assert any("T-9004" in reason for reason in nba.marketing_reasons)
    assert [i.channel for i in r.context.last_interactions][:2] == ["phone", "app"]


def test_two_open_orders_ask_which_one_and_one_order_gets_its_tracking_link(assist):
    two = assist.assist("C-0003", "where is my order?", "track_order", now=NOW)
    assert two.next_best_action.rule == "which-order"
    assert "ORD-20388" in two.suggestions[0].text and "ORD-20431" in two.suggestions[0].text
    one = assist.assist("C-0002", "where is my order?", "track_order", now=NOW)
    assert one.suggestions[0].text.count("https://track.example-shop.com/") == 1
    assert "ORD-20417" in one.suggestions[0].text


def test_valuable_customer_cancelling_is_handed_off_with_a_retention_reply(assist):
    r = assist.assist(
        "C-0005", "I want to cancel my order and close my account", "cancel_order", now=NOW
    )
    assert r.next_best_action.rule == "retain-valuable" and r.next_best_action.handoff
    assert r.suggestions[0].id == "reply-retention"


def test_happy_customer_may_receive_marketing(assist):
    r = assist.assist("C-0006", "great service, the watch came early", "review", now=NOW)
    assert (
        r.next_best_action.marketing_allowed is True and r.next_best_action.marketing_reasons == []
    )


class CountingEncoder(HashingEncoder):
    """A HashingEncoder that remembers every text it embeds."""

    def __init__(self) -> None:
        super().__init__(128)
        self.texts: list[str] = []

    def encode(self, texts, batch_size=64):  # type: ignore[no-untyped-def]
        self.texts += list(texts)
        return super().encode(texts, batch_size)


def test_an_english_turn_is_embedded_once_for_replies_and_history(tmp_path):
    """One encoder pass a turn, order number and e-mail address or not: the suggestions
    and the related history both use the turn as the index embeds events (PII redacted,
    digit runs masked)."""
    from retrieval.index import HistoryIndex

    store = SqlHistoryStore.open(f"sqlite:///{tmp_path / 'h.db'}")
    write(generate(12, seed=7), store)
    encoder = CountingEncoder()
    index = HistoryIndex.rebuild(store, encoder)
    assist = AgentAssist(store, HybridRanker(load_bank(), encoder), index=index).warm_up()
    encoder.texts.clear()
    text = "where is my order ORD-20417? write to emma.martin@example.com"
    res = assist.assist("C-0002", text, intent="track_order", language="en")
    assert res.suggestions  # the ranker ran, and related history was searched
    assert len(encoder.texts) == 1, encoder.texts
    (embedded,) = encoder.texts
    assert embedded == assist.embedding_text(text)
    assert "20417" not in embedded and "emma.martin@example.com" not in embedded
