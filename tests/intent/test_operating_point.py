"""Choosing the out-of-scope operating point and deciding with it (no encoder needed)."""

from __future__ import annotations

import numpy as np
from torch import nn

from intent.heads import HeadFit, fit_heads, linear_head
from intent.modeling import IntentModel, ModelConfig
from intent.open_set import (
    FAR,
    LABELLED,
    NEAR,
    Pool,
    balanced_threshold,
    choose,
    cross_fit,
    in_scope_confidence,
)


def _model(labels: list[str]) -> IntentModel:
    return IntentModel(ModelConfig(labels=labels), nn.Identity(), tokenizer=None)


def test_trained_oos_class_wins_and_ranking_skips_it():
    m = _model(["a", "b", "out_of_scope"])
    [p] = m.decide(["x"], np.array([[0.2, 0.1, 0.7]]))
    assert p.out_of_scope and p.intent == "out_of_scope"
    assert [r.name for r in p.ranking] == ["a", "b"]
    assert p.confidence == 0.2


def test_in_scope_confidence_is_minus_one_where_the_oos_class_wins():
    probs = np.array([[0.6, 0.1, 0.3], [0.2, 0.1, 0.7]])
    conf, top = in_scope_confidence(probs, oos_index=2)
    assert conf.tolist() == [0.6, -1.0] and top.tolist() == [0, 0]


def test_balanced_threshold_weighs_each_kind_of_out_of_scope_equally():
    conf_in = np.array([0.95, 0.9, 0.85, 0.8])
    correct = np.array([True, True, True, True])
    # 2 near turns at 0.6-0.7, many far ones at 0.3: a threshold above 0.7 rejects both kinds
    kinds = {NEAR: np.array([0.6, 0.7]), FAR: np.full(50, 0.3)}
    t = balanced_threshold(conf_in, correct, kinds)
    assert 0.7 < t <= 0.8
    # without near turns, the lowest threshold that rejects every far turn wins (ties go low)
    assert 0.3 < balanced_threshold(conf_in, correct, {FAR: np.full(50, 0.3)}) <= 0.8
    assert balanced_threshold(conf_in, correct, {}) == 0.0


def test_choose_fits_temperature_and_threshold_on_the_pool():
    rng = np.random.default_rng(0)
    pool = Pool()
    gold = rng.integers(0, 3, 200)
    z = rng.normal(0, 1, (200, 3))
    z[np.arange(200), gold] += 4.0  # confident and mostly right
    pool.z_nn.append(z)
    pool.z_ng.append(None)
    pool.gold.append(gold)
    pool.kind.append(np.full(200, LABELLED))
    far = rng.normal(0, 0.3, (100, 3))  # flat logits: unsure
    pool.z_nn.append(far)
    pool.z_ng.append(None)
    pool.gold.append(-np.ones(100, dtype=int))
    pool.kind.append(np.full(100, FAR))
    point = choose(pool, oos_index=None, ngram=False)
    assert point.ngram_weight == 0.0 and point.temperature > 0
    assert point.figures["in_scope_accuracy"] > 0.85
    assert point.figures["recall_out_of_domain"] > 0.9
    assert [p["threshold"] for p in point.curve][:3] == [0.0, 0.05, 0.1]


def _clusters(n_classes: int, per: int, seed: int, dim: int = 16):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1, (n_classes, dim))
    x = np.concatenate([c + rng.normal(0, 0.25, (per, dim)) for c in centres])
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32), np.repeat(np.arange(n_classes), per)


def test_cross_fit_holds_out_each_intent_group_and_keeps_copies_with_their_source():
    x, y = _clusters(8, 10, seed=1)
    origin = np.concatenate([np.arange(80), np.arange(0, 80, 2)])  # copies of every 2nd row
    x_all, y_all = np.concatenate([x, x[origin[80:]]]), y[origin]
    texts = [f"t{i}" for i in range(len(origin))]
    bg_x, _ = _clusters(3, 20, seed=2)
    calls = []

    def fit(rows, bg_rows):
        calls.append(rows)
        assert (rows == rows[origin]).all()  # a copy is fitted exactly when its source is
        w, b = linear_head(
            np.concatenate([x_all[rows], bg_x[bg_rows]]),
            np.concatenate([y_all[rows], np.full(bg_rows.sum(), 8)]),
            9,
            10.0,
        )
        return HeadFit(w, b, None)

    pool = cross_fit(fit, x_all, texts, y_all, bg_x, ["bg"] * 60, folds=4, seed=3, origin=origin)
    kind = np.concatenate(pool.kind)
    assert len(calls) == 4
    assert (kind == NEAR).sum() == len(origin)  # every row is an unseen intent exactly once
    assert (kind == FAR).sum() == 60
    gold = np.concatenate(pool.gold)
    assert (gold[kind == NEAR] == -1).all() and (gold[kind == LABELLED] >= 0).all()
    point = choose(pool, oos_index=8, ngram=False)
    assert point.figures["recall_out_of_domain"] > 0.9  # the background class learns its region
    assert point.figures["in_scope_accuracy"] > 0.8


def test_binary_linear_head_matches_two_class_probabilities():
    x, y = _clusters(2, 20, seed=4)
    w, b = linear_head(x, y, 3, 10.0)  # a third class absent from y
    z = x @ w.T + b
    p = np.exp(z - z.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    assert (p.argmax(1) == y).mean() > 0.95 and p[:, 2].max() < 1e-3


def test_fit_heads_with_ngram_partner_and_weights():
    texts = ["where is my order", "track my parcel", "refund please", "money back now"] * 3
    y = np.array([0, 0, 1, 1] * 3)
    x = np.eye(4, dtype=np.float32)[[0, 0, 1, 1] * 3]
    fit = fit_heads(x, texts, y, 2, 10.0, ngram=True, sample_weight=np.ones(12))
    z_nn, z_ng = fit.logits(x[:2], ["where's my order", "refund"])
    assert z_nn.shape == (2, 2) and z_ng is not None and z_ng.argmax(1).tolist() == [0, 1]


def test_the_datas_out_of_scope_label_is_detected_by_its_name():
    from intent.evaluate import detect_oos_label

    m = _model(["a", "b", "out_of_scope"])
    assert detect_oos_label(m, ["a", "out_of_scope"]) == "out_of_scope"
    assert detect_oos_label(m, ["a", "NO_NODES_DETECTED", "b"]) == "NO_NODES_DETECTED"
    assert detect_oos_label(m, ["a", "oos"]) == "oos"
    # an unknown label with another name is not guessed to be out-of-scope
    assert detect_oos_label(m, ["a", "billing"]) == "out_of_scope"
    assert detect_oos_label(m, ["a", "oos", "fallback"]) == "out_of_scope"  # ambiguous
