"""Choosing the out-of-scope operating point, the ensemble weight and the temperature on
held-out scores that look like real traffic.

Real traffic holds two kinds of out-of-scope turns: *near* ones (the bot's own domain, an
intent it was not built for) and *far* ones (small talk, other domains). When the data has
no out-of-scope examples, both are simulated by cross-fitting on the training data:

- the intents are dealt into `folds` groups and the examples into `folds` parts;
- fold f fits the heads (linear head + n-gram partner, background class included) on the
  examples outside part f of the intents outside group f, then scores
  - part f of the other intents: in-scope turns the heads never saw (labelled),
  - every example of group f: intents the heads never saw (near out-of-scope),
  - background part f: out-of-domain turns the heads never saw (far out-of-scope).

The pooled scores then choose the ensemble weight and temperature (NLL of the in-scope
turns) and the threshold that maximises the expected overall accuracy: in-scope accuracy (right
and accepted) and out-of-scope recall (the mean over the kinds present), weighted by the
share of out-of-scope turns expected in traffic (`TrainingArgs.oos_share`, 0.5 by
default: the balanced point, and about what public chatbot logs show). With labelled out-of-scope
examples, the same choice runs on a validation split instead (`intent/trainer.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from intent.calibration import expected_calibration_error, fit_temperature, nll, softmax
from intent.heads import HeadFit

NGRAM_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
LABELLED, NEAR, FAR = 0, 1, 2
KIND_NAMES = {LABELLED: "labelled out-of-scope", NEAR: "unseen intents", FAR: "out-of-domain"}


@dataclass
class Pool:
    """Held-out scores: network and n-gram logits over the model's labels, the gold index
    (-1 for simulated out-of-scope) and the kind of each row."""

    z_nn: list[np.ndarray] = field(default_factory=list)
    z_ng: list[np.ndarray | None] = field(default_factory=list)
    gold: list[np.ndarray] = field(default_factory=list)
    kind: list[np.ndarray] = field(default_factory=list)

    def add(self, fit: HeadFit, x: np.ndarray, texts: Sequence[str], gold, kind: int) -> None:
        if len(texts) == 0:
            return
        self.add_logits(*fit.logits(x, texts), gold, kind)

    def add_logits(self, z_nn: np.ndarray, z_ng: np.ndarray | None, gold, kind: int) -> None:
        """Rows already scored (a trained model's logits)."""
        self.z_nn.append(z_nn)
        self.z_ng.append(z_ng)
        self.gold.append(np.asarray(gold, dtype=int))
        self.kind.append(np.full(len(z_nn), kind, dtype=int))


@dataclass
class OperatingPoint:
    ngram_weight: float
    temperature: float
    threshold: float
    figures: dict[str, float | int | None]  # at the threshold, on the pooled scores
    curve: list[dict[str, float]]  # threshold -> in-scope accuracy, OOS recall per kind


def cross_fit(
    fit: Callable[[np.ndarray, np.ndarray], HeadFit],
    x: np.ndarray,
    texts: Sequence[str],
    y: np.ndarray,
    background_x: np.ndarray,
    background_texts: Sequence[str],
    folds: int,
    seed: int,
    origin: np.ndarray | None = None,
) -> Pool:
    """`fit(mask_rows, mask_background)` is called per fold with boolean masks of the
    training rows and background rows to fit on (see the module docstring). `origin[i]`
    is the example row i was made from (a noisy copy goes where its source goes)."""
    rng = np.random.default_rng(seed)
    intents = np.unique(y)
    simulate_near = len(intents) >= 3
    folds = max(2, min(folds, len(intents))) if simulate_near else max(2, folds)
    group_of = {int(c): i % folds for i, c in enumerate(rng.permutation(intents))}
    group = np.array([group_of[int(c)] for c in y]) if simulate_near else np.full(len(y), -1)
    origin = np.arange(len(y)) if origin is None else origin
    part = rng.integers(0, folds, size=len(y))[origin]
    bg_part = rng.integers(0, folds, size=len(background_texts))
    pool = Pool()
    for f in range(folds):
        rows = (part != f) & (group != f)
        bg_rows = bg_part != f
        if len(np.unique(y[rows])) < 2:
            continue
        heads = fit(rows, bg_rows)
        seen = (part == f) & (group != f)
        pool.add(heads, x[seen], [texts[int(i)] for i in np.flatnonzero(seen)], y[seen], LABELLED)
        near = group == f
        pool.add(
            heads,
            x[near],
            [texts[int(i)] for i in np.flatnonzero(near)],
            -np.ones(near.sum()),
            NEAR,
        )
        far = ~bg_rows
        pool.add(
            heads,
            background_x[far],
            [background_texts[int(i)] for i in np.flatnonzero(far)],
            -np.ones(far.sum()),
            FAR,
        )
    return pool


def choose(
    pool: Pool, oos_index: int | None, ngram: bool, oos_share: float = 0.5
) -> OperatingPoint:
    """Ensemble weight + temperature (in-scope NLL), then the threshold that maximises the
    expected overall accuracy at an out-of-scope share of `oos_share`."""
    if not pool.z_nn:
        return OperatingPoint(0.0, 1.0, 0.0, {}, [])
    z_nn = np.concatenate(pool.z_nn)
    z_ng = (
        np.concatenate([z for z in pool.z_ng if z is not None])
        if ngram and all(z is not None for z in pool.z_ng)
        else None
    )
    gold = np.concatenate(pool.gold)
    kind = np.concatenate(pool.kind)
    fitted = gold >= 0  # rows with a class of the model (in-scope or a trained OOS class)
    best = (math.inf, 0.0, 1.0)
    for weight in NGRAM_WEIGHTS if z_ng is not None else (0.0,):
        z = z_nn if z_ng is None else (1 - weight) * z_nn + weight * z_ng
        t = fit_temperature(z[fitted], gold[fitted])
        loss = nll(z[fitted], gold[fitted], t) if fitted.any() else 0.0
        if loss < best[0] - 1e-6:
            best = (loss, weight, t)
    _, weight, temperature = best
    z = z_nn if z_ng is None else (1 - weight) * z_nn + weight * z_ng
    probs = softmax(z, temperature)
    conf, top = in_scope_confidence(probs, oos_index)
    is_oos_row = (gold < 0) | ((gold == oos_index) if oos_index is not None else False)
    in_rows = ~is_oos_row
    correct = top[in_rows] == gold[in_rows]
    kinds = {
        k: conf[is_oos_row & (kind == k)]
        for k in (LABELLED, NEAR, FAR)
        if (is_oos_row & (kind == k)).any()
    }
    threshold = balanced_threshold(conf[in_rows], correct, kinds, oos_share)
    curve = [
        _point(t, conf[in_rows], correct, kinds) for t in np.round(np.arange(0, 1.0001, 0.05), 2)
    ]
    figures = _point(threshold, conf[in_rows], correct, kinds) | {
        "closed_set_accuracy": float(np.mean(correct)) if len(correct) else None,
        "ece": expected_calibration_error(np.clip(conf[in_rows], 0, 1), correct),
        "n_in_scope": int(in_rows.sum()),
        **{
            f"n_{KIND_NAMES[k].replace(' ', '_').replace('-', '_')}": len(v)
            for k, v in kinds.items()
        },
    }
    return OperatingPoint(weight, temperature, threshold, figures, curve)


def in_scope_confidence(probs: np.ndarray, oos_index: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(confidence, top in-scope class) per row; confidence -1 where the out-of-scope class
    wins outright (rejected at any threshold)."""
    masked = probs.copy()
    if oos_index is not None:
        masked[:, oos_index] = -1.0
    top = masked.argmax(axis=1)
    conf = probs[np.arange(len(probs)), top]
    if oos_index is not None:
        conf = np.where(probs.argmax(axis=1) == oos_index, -1.0, conf)
    return conf, top


def _point(
    t: float, conf_in: np.ndarray, correct: np.ndarray, kinds: dict[int, np.ndarray]
) -> dict[str, float]:
    out = {
        "threshold": float(t),
        "in_scope_accuracy": float(np.mean(correct & (conf_in >= t))) if len(conf_in) else 0.0,
        "in_scope_rejected": float(np.mean(conf_in < t)) if len(conf_in) else 0.0,
    }
    for k, c in kinds.items():
        out[f"recall_{KIND_NAMES[k].replace(' ', '_').replace('-', '_')}"] = float(np.mean(c < t))
    if kinds:
        out["oos_recall"] = float(np.mean([np.mean(c < t) for c in kinds.values()]))
    return out


def balanced_threshold(
    conf_in: np.ndarray,
    correct: np.ndarray,
    kinds: dict[int, np.ndarray],
    oos_share: float = 0.5,
) -> float:
    """Maximises (1 - oos_share) * in-scope accuracy + oos_share * mean OOS recall over the
    kinds (0.5: the balanced point); ties go to the lower threshold (fewer customers
    turned away)."""
    if not kinds or len(conf_in) == 0:
        return 0.0
    candidates = np.unique(np.concatenate([[0.0], conf_in[conf_in >= 0], *kinds.values()]))
    candidates = candidates[candidates >= 0]
    correct_conf = np.sort(conf_in[correct])
    sorted_kinds = [np.sort(c) for c in kinds.values()]
    n = len(conf_in)
    best_t, best = 0.0, -1.0
    for t in candidates:
        acc = (len(correct_conf) - np.searchsorted(correct_conf, t, side="left")) / n
        rec = np.mean([np.searchsorted(c, t, side="left") / len(c) for c in sorted_kinds])
        score = (1 - oos_share) * acc + oos_share * rec
        if score > best + 1e-9:
            best_t, best = float(t), score
    return best_t
