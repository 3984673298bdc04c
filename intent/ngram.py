"""A char + word n-gram logistic model, the ensemble partner of the fine-tuned encoder.

It sees spelling (order numbers, typos, product names) that a sentence encoder smooths
over. Saved as `ngram.json` (vocabularies, idf, settings) + `ngram.safetensors`
(coefficients): no pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from safetensors.numpy import load_file, save_file
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

_VECTORIZERS = {
    "word": {"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True, "lowercase": True},
    "char": {"analyzer": "char_wb", "ngram_range": (2, 5), "sublinear_tf": True, "lowercase": True},
}


class NgramModel:
    """TF-IDF word (1-2) + char_wb (2-5) features, multinomial logistic regression."""

    def __init__(
        self, vectorizers: dict[str, TfidfVectorizer], coef: np.ndarray, intercept: np.ndarray
    ) -> None:
        self._vectorizers = vectorizers
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self._rows = np.ascontiguousarray(self.coef.T)  # (features, classes): fast row gather
        self._fast = [
            (v.build_analyzer(), v.vocabulary_, v.idf_.astype(np.float32))
            for v in vectorizers.values()
        ]
        offsets = np.cumsum([0] + [len(v.vocabulary_) for v in vectorizers.values()])
        self._offsets = offsets[:-1].tolist()

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        y: np.ndarray,
        n_classes: int,
        c: float = 10.0,
        min_df: int = 1,
        sample_weight: np.ndarray | None = None,
        char_min: int = 2,
    ) -> NgramModel:
        """`char_min`: the shortest character n-gram (1 where one character is a word, as in
        Chinese)."""
        settings = dict(_VECTORIZERS)
        settings["char"] = {**settings["char"], "ngram_range": (char_min, 5)}
        vecs = {
            name: TfidfVectorizer(min_df=min_df, dtype=np.float32, **kw)
            for name, kw in settings.items()
        }
        x = sp.hstack([v.fit_transform(texts) for v in vecs.values()]).tocsr()
        lr = LogisticRegression(C=c, max_iter=2000)
        lr.fit(x, y, sample_weight=sample_weight)
        coef = np.zeros((n_classes, x.shape[1]), dtype=np.float32)
        intercept = np.full(n_classes, -30.0, dtype=np.float32)  # classes absent from y
        coef[lr.classes_] = lr.coef_ if len(lr.classes_) > 2 else np.vstack([-lr.coef_, lr.coef_])
        intercept[lr.classes_] = (
            lr.intercept_
            if len(lr.classes_) > 2
            else np.array([-lr.intercept_[0], lr.intercept_[0]])
        )
        return cls(vecs, coef, intercept)

    def features(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack([v.transform(texts) for v in self._vectorizers.values()]).tocsr()

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) > 8:
            x = self.features(texts)
            return np.asarray(x @ self.coef.T) + self.intercept
        return (
            np.stack([self._one(t) for t in texts])
            if texts
            else np.zeros((0, len(self.intercept)), np.float32)
        )

    def _one(self, text: str) -> np.ndarray:
        """Same arithmetic as sklearn's sublinear TF-IDF + l2 norm + linear model, without
        building sparse matrices (about 10x faster for one short turn)."""
        out = self.intercept.copy()
        for (analyze, vocab, idf), offset in zip(self._fast, self._offsets, strict=True):
            counts: dict[int, int] = {}
            for term in analyze(text):
                j = vocab.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            w = (1.0 + np.log(tf)) * idf[idx]
            w /= np.linalg.norm(w)
            out += w @ self._rows[idx + offset]
        return out

    def save(self, directory: Path) -> None:
        meta = {
            name: {
                "settings": {
                    k: list(v) if isinstance(v, tuple) else v
                    for k, v in ((k, getattr(vec, k)) for k in _VECTORIZERS[name])
                },
                "vocabulary": {t: int(i) for t, i in vec.vocabulary_.items()},
                "idf": vec.idf_.astype(float).tolist(),
            }
            for name, vec in self._vectorizers.items()
        }
        (directory / "ngram.json").write_text(json.dumps(meta), encoding="utf-8")
        save_file(
            {"coef": self.coef, "intercept": self.intercept}, str(directory / "ngram.safetensors")
        )

    @classmethod
    def load(cls, directory: Path) -> NgramModel:
        meta = json.loads((directory / "ngram.json").read_text(encoding="utf-8"))
        vecs = {}
        for name, item in meta.items():
            settings = dict(item["settings"])
            settings["ngram_range"] = tuple(settings["ngram_range"])
            vec = TfidfVectorizer(vocabulary=item["vocabulary"], dtype=np.float32, **settings)
            vec.idf_ = np.asarray(item["idf"], dtype=np.float64)
            vecs[name] = vec
        tensors = load_file(str(directory / "ngram.safetensors"))
        return cls(vecs, tensors["coef"], tensors["intercept"])
