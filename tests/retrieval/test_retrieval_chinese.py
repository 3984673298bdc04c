"""Chinese suggestions: the Chinese bank (data/responses/zh/) covers what the English one
does, jieba feeds BM25, a Chinese turn gets Chinese items filled with the customer's facts
written in Chinese, and an English turn gets exactly what it got before the Chinese items
existed (deterministic HashingEncoder, SQLite)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import numpy as np
import pytest

from intent.encoder import HashingEncoder
from retrieval.assist import AgentAssist
from retrieval.demo.generate import generate, write
from retrieval.ranker import LANGUAGE_WEIGHTS, HybridRanker
from retrieval.responses import (
    DATA,
    SLOT,
    BankItem,
    SlotConfig,
    fill,
    load_bank,
    translation_gaps,
)
from retrieval.store import SqlHistoryStore
from retrieval.tokenizers import ChineseTokenizer, english_tokens, tokenizer_for

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
WHERE_ZH = "我的订单到哪了"


# ------------------------------------------------------------------ the bank


def test_the_chinese_and_english_items_cover_the_same_intents_and_every_item_has_a_twin():
    bank = load_bank()
    assert translation_gaps(bank, "zh") == []
    zh = [i for i in bank if i.language == "zh"]
    english = [i for i in bank if i.language == "en"]
    assert {i.id for i in zh} >= {f"zh:{i.id}" for i in english if i.kind != "template"}
    intents = {x for i in bank if i.language == "en" for x in i.intents}
    for intent in intents:  # a few Chinese items per intent, not one token translation
        assert sum(intent in i.intents for i in zh) >= 2, intent
    config = SlotConfig.load()
    for item in zh:
        assert item.id.startswith("zh:") and item.questions, item.id
        assert all(config.source(s) for s in SLOT.findall(item.text)), item.id
        assert "\n" not in item.text and not any(
            config.source(s).startswith("ui:") for s in SLOT.findall(item.text)
        ), item.id  # one line; site sections written out in Chinese


def test_a_missing_translation_is_reported(tmp_path):
    folder = tmp_path / "zh"
    shutil.copytree(DATA / "zh", folder)
    text = (folder / "knowledge.yml").read_text(encoding="utf-8")
    cut = text.index("  - id: reply-retention")
    end = text.index("  - id: reply-review-thanks")
    (folder / "knowledge.yml").write_text(text[:cut] + text[end:], encoding="utf-8")
    templates = (folder / "templates.yml").read_text(encoding="utf-8")
    (folder / "templates.yml").write_text(
        templates.replace("intents: [switch_account]", "intents: [greet]"), encoding="utf-8"
    )
    gaps = translation_gaps(load_bank(languages={"zh": folder}), "zh")
    assert "reply-retention: no zh twin" in gaps
    assert "intent switch_account: no zh item" in gaps
    assert "intent greet: no English item" in gaps


def test_shop_constants_come_as_the_language_writes_them():
    config = SlotConfig.load()
    text = "{{Live Chat}} {{Customer Support Hours}} {{Customer Support Phone Number}}"
    assert fill(text, {}, config) == "live chat Monday to Saturday, 8am to 8pm 01 23 45 67 89"
    assert fill(text, {}, config, "zh") == "在线客服 周一至周六 8:00-20:00 01 23 45 67 89"


# ------------------------------------------------------------------ tokens


def test_jieba_cuts_mixed_chinese_for_bm25():
    tokens = tokenizer_for("zh")(["我的iPhone订单号12345"])[0]
    assert tokens == ["iphone", "订单", "单号", "订单号", "12345"]  # 我 / 的: function words
    assert english_tokens(["我的iPhone订单号12345"])[0] == ["我的iphone订单号12345"]  # one blob
    assert tokenizer_for("en") is english_tokens
    assert tokenizer_for("zh")(["。？！ ,"]) == [[]]


def test_jieba_reads_its_bundled_dictionary_and_writes_no_cache(tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert ChineseTokenizer().tokens("帮我查一下物流") == ["帮", "查", "物流"]
    assert list(tmp_path.iterdir()) == []  # jieba's own start-up would write jieba.cache


def _item(i: str, lang: str, text: str, intent: str, question: str) -> BankItem:
    return BankItem(i, "template", text, (intent,), (), (question,), i, "s", lang)


SMALL = [
    _item("en-track", "en", "Your order {{Order Number}} is on its way.", "track_order", "where is my order"),
    _item("en-refund", "en", "Your refund is on its way.", "track_refund", "where is my refund"),
    _item("zh:track", "zh", "订单号 {{Order Number}} 正在配送中。", "track_order", "帮我查物流"),
    _item("zh:refund", "zh", "退款已经发起。", "track_refund", "退款什么时候到账"),
]  # fmt: skip
SLOTS = SlotConfig({}, {"Order Number": "customer:order_number"})


def test_the_chinese_tokens_feed_the_rankers_bm25():
    ranker = HybridRanker(SMALL, HashingEncoder(64), slots=SLOTS).warm_up()
    assert [i.id for i in ranker.items_of("zh")] == ["zh:track", "zh:refund"]
    feats = ranker.features("我的订单呢", language="zh")  # 订单 matches the reply's 订单号
    assert feats[0, 2] == 1.0 and feats[1, 2] == 0.0  # reply_bm25, max-normalised
    feats = ranker.features("物流呢", language="zh")  # 物流: only the first item's question
    assert feats[0, 3] == 1.0 and feats[1, 3] == 0.0


# ------------------------------------------------------------------ the ranker


def test_a_turn_gets_the_items_of_its_language_only():
    ranker = HybridRanker(SMALL, HashingEncoder(64), slots=SLOTS).warm_up()
    facts = {"order_number": "O-7"}
    zh = ranker.rank(WHERE_ZH, k=4, intent="track_order", facts=facts, language="zh")
    assert [s.id for s in zh] == ["zh:track", "zh:refund"]
    assert zh[0].text == "订单号 O-7 正在配送中。" and zh[0].language == "zh"
    en = ranker.rank("where is my order", k=4, intent="track_order", facts=facts)
    assert [s.id for s in en] == ["en-track", "en-refund"]
    assert [s.id for s in ranker.rank("x", k=4, language="fr")] == [
        s.id for s in ranker.rank("x", k=4)
    ]
    assert ranker.language_of("fr") == "en" and ranker.language_of("zh") == "zh"  # fmt: skip
    assert ranker.weights_for("zh") == LANGUAGE_WEIGHTS["zh"] != ranker.weights_for("en")
    assert ranker.weights_for("en") is ranker.weights
    # a turn with no word to match ("??", "嗯") is ranked on its vector alone
    assert ranker.rank("??", k=2) and ranker.rank("嗯", k=2, language="zh")


class _Counting(HashingEncoder):
    def __init__(self) -> None:
        super().__init__(32)
        self.name = "counting"
        self.texts = 0

    def encode(self, texts, batch_size=64):
        self.texts += len(texts)
        return super().encode(texts, batch_size)


def test_the_chinese_encoder_is_loaded_once_only_for_chinese_items_and_its_vectors_cached(
    tmp_path,
):
    loads: list[_Counting] = []

    def load() -> _Counting:
        loads.append(_Counting())
        return loads[-1]

    english_only = HybridRanker(SMALL[:2], HashingEncoder(64), slots=SLOTS, encoders={"zh": load})
    english_only.warm_up().rank("where is my refund", k=2)
    assert loads == []  # no Chinese item: never loaded
    ranker = HybridRanker(SMALL, HashingEncoder(64), slots=SLOTS, encoders={"zh": load}, cache_dir=tmp_path)  # fmt: skip
    ranker.warm_up()
    ranker.rank(WHERE_ZH, k=2, language="zh")
    ranker.rank("退款呢", k=2, language="zh")
    assert len(loads) == 1 and ranker.encoder_for("zh") is loads[0]
    assert loads[0].texts == 4 + 2  # bank (2 replies + 2 questions), then one per query
    assert ranker.encoder_for("en") is ranker.encoder
    names = sorted(p.name for p in tmp_path.glob("*.npy"))
    assert [n.split("-")[0] for n in names] == ["case", "case", "reply", "reply"]
    assert sum(n.split("-")[1] == "zh" for n in names) == 2  # the English tags are unchanged
    again = HybridRanker(SMALL, HashingEncoder(64), slots=SLOTS, encoders={"zh": load}, cache_dir=tmp_path)  # fmt: skip
    again.warm_up()
    assert loads[1].texts == 0  # the Chinese vectors came from the cache


# ------------------------------------------------------------------ assist, end to end


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> SqlHistoryStore:
    s = SqlHistoryStore.open(f"sqlite:///{tmp_path_factory.mktemp('zh') / 'h.db'}")
    write(generate(30, seed=7, now=NOW), s)
    return s


@pytest.fixture(scope="module")
def assist(store) -> AgentAssist:
    return AgentAssist(store, HybridRanker(load_bank(), HashingEncoder(128))).warm_up()


def test_a_chinese_turn_gets_chinese_suggestions_with_the_orders_facts(assist):
    r = assist.assist("C-0002", WHERE_ZH, "track_order", 0.9, now=NOW, k=4, language="zh")
    assert r.language == "zh" and r.suggestions
    assert all(s.language == "zh" and s.id.startswith("zh:") for s in r.suggestions)
    assert all("{{" not in s.text for s in r.suggestions)
    first = r.suggestions[0]
    assert first.id == "zh:reply-track-one-order"
    assert first.text == (
        "Tom，您好！您的订单 ORD-20417（QuietWave headphones）已经交给 Colissimo 配送，"
        "预计明天送达。物流详情可以点这里查看：https://track.example-shop.com/colissimo/8283546712"
    )
    template = next(s for s in r.suggestions if s.id == "zh:track_order:1")
    assert template.text == "订单 ORD-20417 目前由 Colissimo 配送中，预计明天送达，请您留意查收。"
    # the language defaults to the text's
    same = assist.assist("C-0002", WHERE_ZH, "track_order", 0.9, now=NOW, k=4)
    assert [s.id for s in same.suggestions] == [s.id for s in r.suggestions]


def test_chinese_facts_two_orders_and_an_earlier_call(assist):
    two = assist.assist("C-0003", WHERE_ZH, "track_order", now=NOW, language="zh")
    assert two.suggestions[0].id == "zh:reply-which-order"
    assert "ORD-20388（Stormline rain jacket，运输中）" in two.suggestions[0].text
    assert "ORD-20431（Slate 11 tablet，已付款）" in two.suggestions[0].text
    text = "新买的手机还是激活不了，我昨天已经打过电话了！"
    r = assist.assist("C-0004", text, "activation_problem", 0.9, now=NOW)
    first = r.suggestions[0]
    assert first.id == "zh:reply-activation-escalation"
    assert "Nova X5" in first.text and "昨天通过电话" in first.text and "T-9004" in first.text
    # the context's other fields stay as they were; only the facts follow the language
    assert r.context.summary == assist.assist("C-0004", "x", now=NOW).context.summary


# what the English turns of the demo got before the Chinese items existed (the bank of
# then = load_bank(languages={}) now): ids, scores, and the first reply in full
BEFORE = {
    "C-0002": (
        "where is my order?",
        "track_order",
        [
            ("reply-track-one-order", 2.2112),
            ("order-tracking", 1.8589),
            ("damaged-or-late", 1.6206),
            ("bitext:track_order:3", 0.9438),
            ("bitext:track_order:35", 0.927),
        ],
        "Hi Tom, your order ORD-20417 (QuietWave headphones) is on its way with Colissimo and "
        "should arrive tomorrow. You can follow it here: "
        "https://track.example-shop.com/colissimo/8283546712",
    ),
    "C-0004": (
        "my new phone STILL won't activate, I already called you yesterday!!",
        "activation_problem",
        [
            ("reply-activation-escalation", 2.0232),
            ("activation-troubleshooting", 1.5179),
            ("warranty", 0.7144),
            ("reply-retention", 0.5744),
            ("bitext:recover_password:37", None),
        ],
        "Hi Marco, I'm sorry your Nova X5 smartphone still won't activate. I can see you "
        "already contacted us yesterday by phone and I have your ticket T-9004 in front of "
        "me, so there is no need to explain it again: I'm escalating it to our activation "
        "team now and will stay with you until it's solved.",
    ),
}


@pytest.mark.parametrize("customer", sorted(BEFORE))
def test_an_english_turn_gets_exactly_the_suggestions_it_got_before(assist, store, customer):
    text, intent, expected, first = BEFORE[customer]
    r = assist.assist(customer, text, intent, 0.9, now=NOW, k=5)
    assert r.language == "en"
    assert [s.id for s in r.suggestions] == [i for i, _ in expected]
    assert [s.score for s, (_, sc) in zip(r.suggestions, expected, strict=True) if sc] == [
        sc for _, sc in expected if sc
    ]
    assert r.suggestions[0].text == first
    english_only = AgentAssist(store, HybridRanker(load_bank(languages={}), HashingEncoder(128)))
    old = english_only.assist(customer, text, intent, 0.9, now=NOW, k=5)
    assert [(s.id, s.text, s.score, s.components) for s in r.suggestions] == [
        (s.id, s.text, s.score, s.components) for s in old.suggestions
    ]
    assert np.isclose(r.suggestions[0].score, expected[0][1])
