"""Choosing the out-of-scope operating point and deciding with it (no model needed)."""

from __future__ import annotations

import numpy as np
from torch import nn

from intent.modeling import IntentModel, ModelConfig
from intent.trainer import choose_threshold


def _model(labels: list[str]) -> IntentModel:
    return IntentModel(ModelConfig(labels=labels), nn.Identity(), tokenizer=None)


def test_trained_oos_class_wins_and_ranking_skips_it():
    m = _model(["a", "b", "out_of_scope"])
    [p] = m.decide(["x"], np.array([[0.2, 0.1, 0.7]]))
    assert p.out_of_scope and p.intent == "out_of_scope"
    assert [r.name for r in p.ranking] == ["a", "b"]
    assert p.confidence == 0.2


def test_threshold_from_oos_examples_balances_accuracy_and_recall():
    m = _model(["a", "b"])
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.85, 0.15], [0.55, 0.45], [0.6, 0.4]])
    gold = ["a", "b", "a", "out_of_scope", "out_of_scope"]
    t = choose_threshold(m, ["t"] * 5, probs, gold)
    assert 0.6 < t <= 0.8
    m.config.oos_threshold = t
    assert [p.out_of_scope for p in m.decide(["t"] * 5, probs)] == [False, False, False, True, True]


def test_threshold_without_oos_examples_rejects_at_most_the_simulated_rate():
    m = _model(["a", "b"])
    conf = np.array([1.0] * 8 + [0.7, 0.6])  # confidences tied at 1.0, as calibrated models give
    probs = np.stack([conf, 1 - conf], axis=1)
    t = choose_threshold(m, ["t"] * 10, probs, ["a"] * 10, reject_rate=0.1)
    assert np.mean(conf < t) <= 0.1 and t == 0.7
    assert choose_threshold(m, ["t"] * 10, probs, ["a"] * 10, reject_rate=0.0) == 0.0
