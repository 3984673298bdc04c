"""The classifier's int8 graph, served only where it decides like the float one.

Dynamic int8 quantisation (ONNX Runtime, per-channel int8 weights for every MatMul/Gemm,
activations quantised at run time) makes one short turn about 1.7x cheaper on these CPUs.
Its logits are no longer PyTorch's to 1e-4, so the start-up check that verifies the float
ONNX graph cannot verify it. What can be checked is what the service uses: the decision
(the intent, or out-of-scope at the model's operating point) and the calibrated
confidence. The trainer saves up to `CHECK_TEXTS_MAX` held-out and noisy texts with the
model (`check_texts.json`); at start-up the runtime decides them with both graphs and
serves int8 only when they agree on at least `Runtime.int8_min_agreement` of them (0.995:
accuracy can then move by at most half a point on data like them) and the confidence moves
by at most `Runtime.int8_max_confidence_shift` on average. The figures are remembered next
to the int8 file, keyed by its bytes and the texts.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from intent.types import IntentPrediction

CHECK_TEXTS_FILE = "check_texts.json"
CHECK_TEXTS_MAX = 1000


@dataclass(frozen=True, slots=True)
class Agreement:
    """How closely a candidate graph's predictions follow the reference graph's."""

    n: int
    agreement: float  # share of texts with the same decision (intent, or out-of-scope)
    confidence_shift: float  # mean absolute difference of the calibrated confidence

    def passes(self, min_agreement: float, max_confidence_shift: float) -> bool:
        return (
            self.n > 0
            and self.agreement >= min_agreement
            and self.confidence_shift <= max_confidence_shift
        )

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


def agreement(
    reference: Sequence[IntentPrediction], candidate: Sequence[IntentPrediction]
) -> Agreement:
    """Decision agreement and confidence shift of two prediction lists of the same texts."""
    if len(reference) != len(candidate):
        raise ValueError("the two prediction lists must cover the same texts")
    if not reference:
        return Agreement(0, 0.0, 0.0)
    same = [r.intent == c.intent for r, c in zip(reference, candidate, strict=True)]
    shift = [abs(r.confidence - c.confidence) for r, c in zip(reference, candidate, strict=True)]
    return Agreement(len(same), float(np.mean(same)), float(np.mean(shift)))


def choose_check_texts(
    held_out: Sequence[str],
    noisy: Sequence[str],
    training: Sequence[str],
    background: Sequence[str],
    seed: int = 0,
    limit: int = CHECK_TEXTS_MAX,
) -> list[str]:
    """The texts the int8 graph is checked on: held-out turns first (they decide closest
    to the boundary), then noisy copies (how customers type), then training turns and a
    few background lines (out-of-scope decisions); distinct, at most `limit`."""
    rng = random.Random(seed)
    pools = []
    for texts in (held_out, noisy, training, background):
        pool = [t for t in dict.fromkeys(texts) if t.strip()]
        rng.shuffle(pool)
        pools.append(pool)
    out: list[str] = []
    seen: set[str] = set()

    def take(pool: list[str], n: int) -> None:
        for t in pool:
            if n <= 0 or len(out) >= limit:
                return
            if t not in seen:
                out.append(t)
                seen.add(t)
                n -= 1

    for pool, share in zip(pools, (limit, limit // 3, limit // 3, limit // 10), strict=True):
        take(pool, share)  # each kind its share first
    for pool in pools:
        take(pool, limit)  # then fill up with what is left
    return out


def save_check_texts(directory: Path, texts: Sequence[str]) -> None:
    path = directory / CHECK_TEXTS_FILE
    if not texts:
        path.unlink(missing_ok=True)
        return
    path.write_text(json.dumps({"texts": list(texts)}, ensure_ascii=False), encoding="utf-8")


def load_check_texts(directory: Path) -> list[str]:
    """The model's check texts; [] when it has none (trained before they were saved) or the
    file does not hold a list of strings (then int8 is simply not verified)."""
    path = directory / CHECK_TEXTS_FILE
    try:
        texts = json.loads(path.read_text(encoding="utf-8"))["texts"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        return []
    return texts[:CHECK_TEXTS_MAX]
