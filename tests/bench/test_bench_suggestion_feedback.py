"""The suggestion-feedback replay (bench/suggestion_feedback.py): it reads a feedback
export, learns from its first part, chooses the settings on the next and measures the last;
where agents keep choosing a reply the fixed ranker puts second, the learned rates put
it first and the replay says so, and where they follow the fixed order it keeps weight 0
and ships the fixed weights. Also: the preferences each click model reads in a turn, the
refit's fit and its assumption (the ranker's score is linear in the features), the guard,
and the bias of the used reply's MRR that the ideal reply's avoids."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from bench.suggestion_feedback import (
    PAIR_FEATURES,
    Turn,
    configured,
    fit_weights,
    guard,
    item_scores,
    pair_accuracy,
    preference_pairs,
    read_log,
    replay,
    score,
)
from intent.encoder import HashingEncoder
from retrieval.ranker import HybridRanker, RankerWeights
from retrieval.responses import BankItem
from retrieval.usage import Impression, UsagePrior, UsageSettings

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


# ---------------------------------------------------------------- pairs, fit, metrics, guard


def _turn(shown, used, dismissed=(), **kw):
    return Turn("k", TEXT, "get_refund", 1.0, list(shown), used, set(dismissed), **kw)


def test_skip_above_pairs_only_the_shown_replies_the_agent_passed_over():
    t = _turn(["a", "b", "c", "d", "e"], "c", dismissed=["e"])
    assert preference_pairs(t, "skip_above") == [("c", "a"), ("c", "b"), ("c", "e")]
    assert preference_pairs(t, "shown") == [("c", "a"), ("c", "b"), ("c", "d"), ("c", "e")]
    # never-shown items only with the explicit top10 assumption
    assert preference_pairs(t, "top10", below=["f", "c"])[-1] == ("c", "f")
    assert all(b != "f" for _, b in preference_pairs(t, "shown"))


def test_no_use_says_nothing_and_a_searched_reply_beats_every_shown_one():
    assert preference_pairs(_turn(["a", "b"], None, dismissed=["a"]), "shown") == []
    assert preference_pairs(_turn(["a", "b"], "z"), "skip_above") == [("z", "a"), ("z", "b")]
    with pytest.raises(ValueError):
        preference_pairs(_turn(["a"], "a"), "clicks")


def test_item_scores_are_the_rankers_own_scores():
    """The refit's assumption: rank's score is linear in `feature_rows` with the weights."""
    ranker = _ranker()
    prior = UsagePrior.learn(
        [Impression("r2", "get_refund", None, used=True)] * 5
        + [Impression("r1", "get_refund", None)] * 5,
        UsageSettings(weight=0.7),
    )
    for weights, usage in (
        (None, None),
        (RankerWeights(2.0, 0.3, 0.5, 0.2, 0.1), None),
        (None, prior),
    ):
        for turn in (
            _turn([], None),
            Turn("k", "my parcel?", None, 1.0),
            Turn("k", TEXT, "get_refund", 0.4),
        ):
            with configured(ranker, usage, weights):
                ranked = ranker.rank(turn.text, 3, turn.intent, turn.confidence)
                scores = item_scores(ranker, turn, [s.id for s in ranked])
            assert {s.id: s.score for s in ranked} == pytest.approx(scores, abs=1e-3)
    assert ranker.usage is None and ranker.weights == RankerWeights()


def _pairs(n=200, seed=0):
    """Preferences made by a ranker that weighs reply_dense 2 and case_dense 0.5."""
    rng = np.random.default_rng(seed)
    dx = rng.normal(0, [0.1, 0.1, 0.3, 0.3, 0.4], (n, 5))
    truth = np.array([2.0, 0.5, 0.0, 0.1, 0.3])
    flip = np.where(dx @ truth + rng.normal(0, 0.02, n) > 0, 1.0, -1.0)
    return dx * flip[:, None], np.zeros(n)


def test_the_refit_learns_the_preferences_and_a_strong_pull_keeps_the_fixed_weights():
    dx, do = _pairs()
    base = RankerWeights()
    fitted = fit_weights(dx, do, base, pull=0.0)
    assert fitted.reply_dense > fitted.case_dense  # the preference behind the pairs
    assert pair_accuracy(dx, do, fitted) > pair_accuracy(dx, do, base)
    assert min(asdict(fitted).values()) >= 0
    assert (fitted.stage, fitted.personal) == (base.stage, base.personal)
    spread = dx.std(axis=0)  # the fixed weights' scale is kept
    vec = [getattr(fitted, f) for f in PAIR_FEATURES]
    assert spread @ vec == pytest.approx(spread @ [getattr(base, f) for f in PAIR_FEATURES])
    pulled = fit_weights(dx, do, base, pull=1e6)
    assert asdict(pulled) == pytest.approx(asdict(base), abs=1e-3)
    assert fit_weights(dx[:5], do[:5], base, pull=0.0) == base  # too few pairs


def test_the_guard_ships_a_learned_ranking_only_when_it_beats_the_fixed_one():
    fixed = {"mrr_ideal": 0.5}
    assert guard(fixed, {"a": {"mrr_ideal": 0.6}, "b": {"mrr_ideal": 0.55}}, "mrr_ideal") == "a"
    assert guard(fixed, {"a": {"mrr_ideal": 0.5}}, "mrr_ideal") == "fixed"
    assert guard(fixed, {"a": {"mrr_ideal": 0.4}}, "mrr_ideal") == "fixed"
    assert guard(fixed, {}, "mrr_ideal") == "fixed"


def test_the_used_reply_penalises_a_ranking_that_moves_a_better_reply_up():
    """Only r1 was shown and used; r2, never shown, was closer to what the agent should have
    sent. A ranking that puts r2 first loses on the used reply, gains on the ideal one."""
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    other = "r2" if first == "r1" else "r1"
    turn = _turn([first], first, usable={first: 0.7, other: 0.9}, ideal=other)
    fixed = score([turn], ranker)
    assert (fixed["mrr_used"], fixed["mrr_ideal"], fixed["used_miss_as_good"]) == (1.0, 0.5, 0.0)
    prior = UsagePrior.learn(  # agents keep using the other one, passing this one over
        [Impression(other, "get_refund", None, used=True)] * 20
        + [Impression(first, "get_refund", None)] * 20,
        UsageSettings(weight=2.0),
    )
    moved = score([turn], ranker, prior)
    assert (moved["mrr_used"], moved["mrr_ideal"], moved["used_miss_as_good"]) == (0.5, 1.0, 1.0)
    assert moved["mrr_used_shown"] == 1.0  # among what was shown, nothing moved


def test_the_replay_reports_what_the_guard_shipped(tmp_path):
    ranker = _ranker()
    first = ranker.rank(TEXT, 2, "get_refund")[0].id
    other = "r2" if first == "r1" else "r1"
    same = replay(read_log(_export(tmp_path / "a.jsonl", [first] * 40)), ranker, False)
    assert same["shipped"] == "fixed" and same["shipped_as"] == "fixed"
    assert same["select_by"] == "mrr_used_shown"  # a real log has no ideal reply
    moved = replay(read_log(_export(tmp_path / "b.jsonl", [other] * 40)), ranker, False)
    assert moved["shipped"] != "fixed"
    shipped = moved[moved["shipped_as"]]
    assert shipped["mrr_used_shown"] > moved["fixed"]["mrr_used_shown"]
    assert ranker.usage is None and ranker.weights == RankerWeights()
