"""The classifier's parts above the encoder: a linear head fitted on (frozen or fine-tuned)
sentence embeddings and the n-gram partner, fitted together on the same rows and weights.

Weights: every intent example counts 1; the out-of-scope background rows share a total
weight of `background_weight` average intents, so a few thousand generic utterances do not
outweigh a bot's 15 examples per intent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from intent.ngram import NgramModel


@dataclass
class HeadFit:
    weight: np.ndarray  # (n_classes, dim)
    bias: np.ndarray  # (n_classes,)
    ngram: NgramModel | None

    def logits(self, x: np.ndarray, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
        z_nn = x @ self.weight.T + self.bias
        z_ng = self.ngram.logits(list(texts)) if self.ngram is not None and len(texts) else None
        return z_nn, z_ng


def linear_head(
    x: np.ndarray,
    y: np.ndarray,
    n_classes: int,
    c: float,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression; classes absent from `y` get a bias of -10."""
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(x, y, sample_weight=sample_weight)
    w = np.zeros((n_classes, x.shape[1]), dtype=np.float32)
    b = np.full(n_classes, -10.0, dtype=np.float32)
    if len(lr.classes_) == 2:  # sklearn keeps one row for a binary problem
        w[lr.classes_] = np.vstack([-lr.coef_, lr.coef_]) / 2
        b[lr.classes_] = np.array([-lr.intercept_[0], lr.intercept_[0]]) / 2
    else:
        w[lr.classes_] = lr.coef_
        b[lr.classes_] = lr.intercept_
    return w, b


def row_weights(
    intent_weights: np.ndarray, n_background: int, n_intents: int, background_weight: float
) -> np.ndarray:
    """The intent rows' own weights (1 for an example, less for a noisy copy), then
    `background_weight` average intents shared by the background rows."""
    total = float(intent_weights.sum())
    per_background = (
        background_weight * total / max(1, n_intents) / n_background if n_background else 0.0
    )
    return np.concatenate(
        [intent_weights.astype(np.float32), np.full(n_background, per_background, np.float32)]
    )


def fit_heads(
    x: np.ndarray,
    texts: Sequence[str],
    y: np.ndarray,
    n_classes: int,
    c: float,
    ngram: bool,
    sample_weight: np.ndarray | None = None,
    char_min: int = 2,
) -> HeadFit:
    w, b = linear_head(x, y, n_classes, c, sample_weight)
    partner = None
    if ngram:
        min_df = 2 if len(texts) > 5000 else 1
        partner = NgramModel.fit(
            list(texts), y, n_classes, min_df=min_df, sample_weight=sample_weight,
            char_min=char_min,
        )  # fmt: skip
    return HeadFit(w, b, partner)
