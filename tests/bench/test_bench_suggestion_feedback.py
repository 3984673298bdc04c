"""The suggestion-feedback replay (bench/suggestion_feedback.py): it reads a feedback
export, learns from its first part, chooses the weight on the next and measures the last;
where agents keep choosing a reply the fixed ranker puts second, the learned rates put
it first and the replay says so, and where they follow the fixed order it keeps weight 0."""

from __future__ import annotations

import json
from pathlib import Path

from bench.suggestion_feedback import read_log, replay
from intent.encoder import HashingEncoder
from retrieval.ranker import HybridRanker
from retrieval.responses import BankItem

TEXT = "I want a refund"


def _ranker() -> HybridRanker:
    items = [
        BankItem("r1", "template", "We will refund you within 5 days.", ("get_refund",),
                 questions=("I want a refund",)),
        BankItem("r2", "template", "Your refund is on its way.", ("get_refund",),
                 questions=("where is my refund",)),
        BankItem("t1", "template", "Your parcel ships today.", ("track_order",),
                 questions=("where is my parcel",)),
    ]  # fmt: skip
    return HybridRanker(items, HashingEncoder(64))


def _export(path: Path, picks: list[str]) -> Path:
    rows = []
    for k, pick in enumerate(picks):
        for sid in ("r1", "r2"):
            rows.append({"kind": "suggestion", "action": "shown", "conversation_id": f"c{k}",
                         "turn_id": f"t{k}", "suggestion_id": sid, "text": TEXT,
                         "predicted_intent": "get_refund"})  # fmt: skip
        rows.append({"kind": "suggestion", "action": "used", "conversation_id": f"c{k}",
                     "turn_id": f"t{k}", "suggestion_id": pick, "text": TEXT,
                     "predicted_intent": "get_refund"})  # fmt: skip
    rows.append({"kind": "intent_correction", "action": "corrected", "text": "x"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_log_is_read_turn_by_turn(tmp_path):
    turns = read_log(_export(tmp_path / "log.jsonl", ["r2", "r1"]))
    assert [(t.shown, t.used, t.intent) for t in turns] == [
        (["r1", "r2"], "r2", "get_refund"),
        (["r1", "r2"], "r1", "get_refund"),
    ]


def test_agents_who_prefer_the_second_reply_teach_the_ranker(tmp_path):
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    other = "r2" if first == "r1" else "r1"
    result = replay(read_log(_export(tmp_path / "log.jsonl", [other] * 40)), ranker, False)
    assert result["weight"] > 0
    assert result["fixed"]["mrr_used"] == 0.5  # the fixed ranker puts it second
    assert result["learned"]["mrr_used"] == 1.0
    assert ranker.usage is None  # the replay leaves the ranker as it found it


def test_agents_who_follow_the_fixed_order_keep_the_weight_at_zero(tmp_path):
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    result = replay(read_log(_export(tmp_path / "log.jsonl", [first] * 40)), ranker, False)
    assert result["weight"] == 0.0
    assert result["fixed"]["mrr_used"] == result["learned"]["mrr_used"] == 1.0
