"""Out-of-scope (OOS) + training-time benchmark of the intent classifier:
`python -m bench.intent_oos --datasets-root ../shared/datasets [--quick]`.

Each built-in data set simulates a small real bot: a seeded random subset of a corpus's
intents is in scope with few training turns each; the test set is the official test split
of those intents plus out-of-scope turns labelled `oos`: test turns of the corpus's other
intents (near OOS, about half as many as the in-scope test turns) and first customer
tweets of IBM Twitter customer care from brands outside the domain (far OOS). A `messy`
variant scores the same models on the test set whose in-scope turns are rewritten by a
test-only noiser (`messy_text`). Systems: the product (`intent.trainer.train`, defaults)
at its own threshold, TF-IDF + LR and frozen MiniLM + LR with the product's threshold
procedure (`intent.open_set.cross_fit` + `choose`) and with an oracle threshold chosen on
the test set (an upper bound), and the product's own oracle.

Cells (system x data set x seed) are cached under bench/cache/intent_oos/, keyed by a hash
of intent/*.py, the data set spec and files, the seed and the system; writes
bench/results/intent_oos.{md,json,png} (quick mode: intent_oos_quick.*). See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import re
import shlex
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_NUM_THREADS", "2")  # 2 CPU threads, as in bench/intent.py

import numpy as np  # noqa: E402

from bench.intent_datasets import files_fingerprint, select_names, stable_hash  # noqa: E402
from intent.data import Example, load_examples  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
DEFAULT_CACHE = BENCH_DIR / "cache" / "intent_oos"
DEFAULT_RESULTS = BENCH_DIR / "results"
BENCH_VERSION = 2  # bump when a change here changes what a cell computes
OOS = "oos"
IN_SCOPE, NEAR, FAR, LABELLED = 0, 1, 2, 3  # kind of a test row
TWITTER = "ibm_twitter_care/dev.json"
CORPORA = {
    "banking77": ("banking77/train.csv", "banking77/test.csv"),
    "bitext": (
        "bitext/Bitext_Sample_Customer_Service_Training_Dataset.csv",
        "bitext/Bitext_Sample_Customer_Service_Testing_Dataset.csv",
    ),
}
SYSTEMS = ("product", "tfidf_lr", "minilm_frozen_lr")
VARIANTS = ("clean", "messy")
# report rows: (system, procedure) -> label; the order is the tables' and the plot's
ROW_LABELS = {
    ("product", "own"): "product (its own threshold)",
    ("tfidf_lr", "same"): "tfidf_lr, same threshold procedure",
    ("tfidf_lr", "oracle"): "tfidf_lr, oracle threshold (upper bound)",
    ("minilm_frozen_lr", "same"): "minilm_frozen_lr, same threshold procedure",
    ("minilm_frozen_lr", "oracle"): "minilm_frozen_lr, oracle threshold (upper bound)",
    ("product", "oracle"): "product, oracle threshold (upper bound)",
}
LR_C, LR_MAX_ITER = 10.0, 5000


def log(msg: str) -> None:
    print(f"[intent_oos {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- data sets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OosSpec:
    """A built-in simulated bot (corpus, n_intents x per_intent training turns, far-OOS
    brands excluded) or user data (`corpus="user"`: train/test paths, OOS label)."""

    name: str
    corpus: str
    n_intents: int = 0
    per_intent: int = 0
    exclude_brands: tuple[str, ...] = ()
    train: str = ""
    test: str = ""
    oos_label: str = OOS

    @property
    def builtin(self) -> bool:
        return self.corpus != "user"

    def files(self, root: Path) -> list[Path]:
        if not self.builtin:
            return [Path(self.train).expanduser(), Path(self.test).expanduser()]
        train, test = CORPORA[self.corpus]
        return [root / train, root / test, root / TWITTER]

    def fingerprint(self, root: Path) -> dict[str, Any]:
        return {"spec": asdict(self), "files": [files_fingerprint(p) for p in self.files(root)]}

    def describe(self) -> str:
        if not self.builtin:
            return (
                f"user data: train `{self.train}`, test `{self.test}`, OOS label `{self.oos_label}`"
            )
        return (
            f"{self.corpus}: {self.n_intents} intents x {self.per_intent} training turns; far OOS: "
            f"Twitter brands except {', '.join(self.exclude_brands)}"
        )


BUILTIN: dict[str, OosSpec] = {
    s.name: s
    for s in (
        OosSpec("banking77_oos", "banking77", 25, 15, ("Ask_WellsFargo", "ChaseSupport")),
        OosSpec("bitext_oos", "bitext", 12, 20, ("AmazonHelp", "AskeBay")),
        OosSpec("banking77_oos_1k", "banking77", 40, 25, ("Ask_WellsFargo", "ChaseSupport")),
    )
}
QUICK_DATASETS = ("banking77_oos", "bitext_oos")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def parse_user_spec(text: str) -> OosSpec:
    """`NAME=TRAIN,TEST[,OOS_LABEL]`."""
    name, sep, rest = text.partition("=")
    parts = [p.strip() for p in rest.split(",")]
    if not sep or not _NAME.match(name.strip()) or len(parts) not in (2, 3) or not all(parts):
        raise ValueError(
            f"--dataset {text!r}: expected NAME=TRAIN,TEST[,OOS_LABEL] with NAME made of "
            "letters, digits, '_', '-', '.'"
        )
    label = parts[2] if len(parts) == 3 else OOS
    return OosSpec(name.strip(), "user", train=parts[0], test=parts[1], oos_label=label)


@dataclass
class BuiltData:
    train: list[Example]
    test: dict[str, list[Example]]  # variant -> test examples (OOS rows labelled `oos`)
    kind: np.ndarray  # per test row: IN_SCOPE / NEAR / FAR / LABELLED
    info: dict[str, Any] = field(default_factory=dict)


_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?:\s*//\S+|www\.\S+")


def twitter_first_turns(root: Path, exclude: Sequence[str]) -> list[str]:
    """First customer tweet of each dialogue of the brands not in `exclude`: mentions and
    URLs stripped, whitespace collapsed, 3-200 characters, duplicates dropped."""
    dialogues = json.loads((root / TWITTER).read_text(encoding="utf-8"))
    out = []
    for d in dialogues:
        if d["dialogHeader"]["company"] in exclude or not d.get("dialogContent"):
            continue
        text = " ".join(_URL.sub(" ", _MENTION.sub(" ", d["dialogContent"][0]["message"])).split())
        if 3 <= len(text) <= 200:
            out.append(text)
    return list(dict.fromkeys(out))


def build_dataset(spec: OosSpec, root: Path, seed: int) -> BuiltData:
    if not spec.builtin:
        return _build_user(spec)
    train_path, test_path = (root / p for p in CORPORA[spec.corpus])
    train_all, test_all = load_examples(train_path), load_examples(test_path)
    rng = random.Random(f"{spec.name}:{seed}")
    labels = sorted({e.label for e in train_all})
    chosen = sorted(rng.sample(labels, spec.n_intents))
    in_scope = set(chosen)
    train: list[Example] = []
    for label in chosen:
        rows = [e for e in train_all if e.label == label]
        train += rng.sample(rows, min(spec.per_intent, len(rows)))
    test_in = [e for e in test_all if e.label in in_scope]
    others = [e for e in test_all if e.label not in in_scope]
    near = rng.sample(others, min(len(others), round(len(test_in) / 2)))
    far = twitter_first_turns(root, spec.exclude_brands)
    clean = test_in + [Example(e.text, OOS) for e in near] + [Example(t, OOS) for t in far]
    kind = np.array([IN_SCOPE] * len(test_in) + [NEAR] * len(near) + [FAR] * len(far))
    noise = random.Random(f"messy:{spec.name}:{seed}")
    messy = [Example(messy_text(e.text, noise), e.label) for e in test_in] + clean[len(test_in) :]
    info = {
        "intents": chosen,
        "n_train": len(train),
        "n_intents": len(chosen),
        "n_test_in_scope": len(test_in),
        "n_test_near_oos": len(near),
        "n_test_far_oos": len(far),
        "messy_examples": [
            [test_in[i].text, messy[i].text]
            for i in range(0, len(test_in), max(1, len(test_in) // 6))
        ][:6],
    }
    return BuiltData(train, {"clean": clean, "messy": messy}, kind, info)


def _build_user(spec: OosSpec) -> BuiltData:
    """User data: out-of-scope training rows are dropped (no system trains on OOS
    examples); a test label the training data lacks is out of scope for the bot, so it is
    scored as OOS too."""
    train_all = load_examples(Path(spec.train).expanduser())
    test_all = load_examples(Path(spec.test).expanduser())
    train = [e for e in train_all if e.label != spec.oos_label]
    known = {e.label for e in train}
    test = [Example(e.text, e.label if e.label in known else OOS) for e in test_all]
    kind = np.array([IN_SCOPE if e.label in known else LABELLED for e in test_all])
    info = {
        "intents": sorted(known),
        "n_train": len(train),
        "n_intents": len(known),
        "n_train_oos_dropped": len(train_all) - len(train),
        "n_test_in_scope": int((kind == IN_SCOPE).sum()),
        "n_test_oos": int((kind == LABELLED).sum()),
        "n_test_unknown_label_as_oos": sum(
            1 for e in test_all if e.label not in known and e.label != spec.oos_label
        ),
    }
    return BuiltData(train, {"clean": test}, kind, info)


# -- the messy test noiser (test-only; NOT intent/augment.py) ------------------------------

NOISER_VERSION = 1
_ABBREVIATIONS = (
    (re.compile(r"\byou are\b"), "ur"),
    (re.compile(r"\byou\b"), "u"),
    (re.compile(r"\byour\b"), "ur"),
    (re.compile(r"\bplease\b"), "plz"),
    (re.compile(r"\baccount\b"), "acct"),
    (re.compile(r"\bthanks\b"), "thx"),
    (re.compile(r"\bbecause\b"), "bc"),
    (re.compile(r"\btomorrow\b"), "tmrw"),
    (re.compile(r"\bmessage\b"), "msg"),
)
_VOWEL = re.compile(r"(?<=\w)[aeiou](?=\w)")


def messy_text(text: str, rng: random.Random) -> str:
    """How a turn looks typed fast into a chat box: lower case, punctuation dropped
    (always); chat abbreviations (u, ur, plz, acct, thx, ...: each with p=0.8); one vowel
    dropped inside a word of 5+ letters (p=0.6); a turn of more than 12 words cut to its
    first 60-80% (p=0.5); a filler "hey " in front (p=0.25), " pls" (p=0.2) or "??"
    (p=0.2) at the end."""
    t = text.lower().replace("'", "").replace("\u2019", "")
    t = " ".join(re.sub(r"[^\w\s]", " ", t).split())
    for pattern, short in _ABBREVIATIONS:
        if rng.random() < 0.8:
            t = pattern.sub(short, t)
    words = t.split()
    if rng.random() < 0.6:
        long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long:
            i = rng.choice(long)
            spots = [m.start() for m in _VOWEL.finditer(words[i])]
            if spots:
                j = rng.choice(spots)
                words[i] = words[i][:j] + words[i][j + 1 :]
    if len(words) > 12 and rng.random() < 0.5:
        words = words[: max(8, math.ceil(len(words) * rng.uniform(0.6, 0.8)))]
    t = " ".join(words)
    if rng.random() < 0.25:
        t = "hey " + t
    tail = rng.random()
    if tail < 0.2:
        t += " pls"
    elif tail < 0.4:
        t += "??"
    return t or text.lower()


# -- scoring -------------------------------------------------------------------------------


def score_at(
    conf: np.ndarray, right: np.ndarray, kind: np.ndarray, threshold: float
) -> dict[str, Any]:
    """Decisions at `threshold`: a turn is accepted when its in-scope confidence >= it
    (confidence -1: the out-of-scope class won outright, rejected at any threshold)."""
    accepted = conf >= threshold
    ins = kind == IN_SCOPE
    oos = ~ins
    out: dict[str, Any] = {
        "threshold": float(threshold),
        "overall": float(np.mean(np.where(ins, right & accepted, ~accepted))),
        "in_scope_accuracy": float(np.mean(right[ins] & accepted[ins])) if ins.any() else None,
        "in_scope_rejected": float(np.mean(~accepted[ins])) if ins.any() else None,
        "closed_set_accuracy": float(np.mean(right[ins])) if ins.any() else None,
        "oos_recall": float(np.mean(~accepted[oos])) if oos.any() else None,
    }
    for k, name in ((NEAR, "near"), (FAR, "far")):
        m = kind == k
        out[f"oos_recall_{name}"] = float(np.mean(~accepted[m])) if m.any() else None
    return out


def oracle_threshold(conf: np.ndarray, right: np.ndarray, kind: np.ndarray) -> float:
    """The threshold with the best overall accuracy on these very rows (every distinct
    confidence, 0, and one above the largest: reject all); ties go to the lower one."""
    ins = kind == IN_SCOPE
    cands = np.unique(np.concatenate([[0.0], conf[conf >= 0], [float(conf.max()) + 1e-6]]))
    good = np.sort(conf[ins & right])  # in-scope rows right when accepted
    oos_conf = np.sort(conf[~ins])
    n_good = len(good) - np.searchsorted(good, cands, side="left")
    n_rej = np.searchsorted(oos_conf, cands, side="left")
    return float(cands[int(np.argmax(n_good + n_rej))])


# -- systems -------------------------------------------------------------------------------


def intent_code_hash() -> str:
    h = hashlib.sha256()
    for f in sorted((PROJECT_ROOT / "intent").glob("*.py")):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def system_config(system: str) -> dict[str, Any]:
    if system == "product":
        return {"train": "intent.trainer.train(train, TrainingArgs()) (defaults)"}
    features = (
        "TF-IDF word 1-2 + char_wb 2-5 (sublinear tf)"
        if system == "tfidf_lr"
        else "frozen all-MiniLM-L6-v2 (intent.encoder.SentenceEncoder)"
    )
    return {
        "features": features,
        "C": LR_C,
        "max_iter": LR_MAX_ITER,
        "threshold": "open_set.cross_fit + choose (no background class), and oracle",
    }


def _unique_texts(data: BuiltData) -> tuple[list[str], dict[str, np.ndarray]]:
    """The distinct test texts over the variants (a messy test set shares its OOS turns
    with the clean one) and, per variant, each row's index among them."""
    index: dict[str, int] = {}
    where = {
        v: np.array([index.setdefault(e.text, len(index)) for e in test], dtype=int)
        for v, test in data.test.items()
    }
    return list(index), where


class _Cached:
    """The model with `probabilities` answered from precomputed rows (evaluate() would
    otherwise run the encoder a second time over the same texts)."""

    def __init__(self, model: Any, texts: list[str], probs: np.ndarray) -> None:
        self._model, self._texts, self._probs = model, texts, probs

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        if list(texts) == self._texts:
            return self._probs
        return self._model.probabilities(texts)


def run_product(data: BuiltData) -> dict[str, Any]:
    import torch

    from intent.evaluate import evaluate
    from intent.open_set import in_scope_confidence
    from intent.trainer import train
    from intent.training_args import TrainingArgs

    torch.set_num_threads(2)
    args = TrainingArgs()
    t0, c0 = time.perf_counter(), time.process_time()
    model = train(data.train, args, progress=False)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    labels = model.labels
    oos_index = labels.index(model.config.oos_label) if model.config.oos_label in labels else None
    training = model.config.training
    out: dict[str, Any] = {
        "train_wall_s": wall,
        "train_cpu_s": cpu,
        "phase_seconds": training.get("phase_seconds"),
        "fine_tuning": training.get("fine_tuning"),
        "n_background": training.get("n_background"),
        "temperature": model.config.temperature,
        "ngram_weight": model.config.ngram_weight,
        "validation": {
            k: v for k, v in (model.config.validation or {}).items() if k != "operating_curve"
        },
        "validation_curve": (model.config.validation or {}).get("operating_curve"),
        "variants": {},
    }
    unique, where = _unique_texts(data)
    probs_all = model.probabilities(unique)
    for variant, test in data.test.items():
        texts = [e.text for e in test]
        gold = [e.label for e in test]
        probs = probs_all[where[variant]]
        metrics, details = evaluate(_Cached(model, texts, probs), test, OOS)
        conf, top = in_scope_confidence(probs, oos_index)
        right = np.array([labels[t] == g for t, g in zip(top, gold, strict=True)])
        own = score_at(conf, right, data.kind, model.config.oos_threshold)
        oracle = score_at(conf, right, data.kind, oracle_threshold(conf, right, data.kind))
        curve = details.get("curve") or []
        grid_best = max(curve, key=lambda p: p["overall"]) if curve else None
        out["variants"][variant] = {
            "own": own,
            "oracle": oracle,
            "evaluate": {
                k: metrics.get(k)
                for k in (
                    "accuracy_at_operating_point",
                    "in_scope_accuracy",
                    "oos_recall",
                    "oos_precision",
                    "accuracy",
                    "macro_f1",
                    "ece",
                )
            },
            "curve": curve,
            "oracle_on_curve_grid": grid_best,
        }
        if abs(own["overall"] - metrics["accuracy_at_operating_point"]) > 1e-9:
            log(
                f"warning: own overall {own['overall']:.4f} != evaluate() "
                f"{metrics['accuracy_at_operating_point']:.4f}"
            )
    return out


class _Fold:
    """A baseline fitted on some rows, in the shape `Pool.add` wants: `.logits(x, texts)`
    -> (logits over every label, None)."""

    def __init__(self, logits: Callable[[np.ndarray, Sequence[str]], np.ndarray]) -> None:
        self._logits = logits

    def logits(self, x: np.ndarray, texts: Sequence[str]) -> tuple[np.ndarray, None]:
        return self._logits(x, texts), None


def _lr_logits(clf: Any, features: Any, n_labels: int) -> np.ndarray:
    """Log-probabilities over all `n_labels` (a label the fit never saw: log 1e-30)."""
    z = np.full((features.shape[0], n_labels), math.log(1e-30), dtype=np.float64)
    z[:, clf.classes_] = np.log(np.clip(clf.predict_proba(features), 1e-30, None))
    return z


def _tfidf_pipeline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)),
        ]
    )
    return Pipeline([("tfidf", features), ("lr", LogisticRegression(C=LR_C, max_iter=LR_MAX_ITER))])


_ENCODER: Any = None


def encoder() -> Any:
    global _ENCODER
    if _ENCODER is None:
        import torch

        from intent.encoder import SentenceEncoder

        torch.set_num_threads(2)
        _ENCODER = SentenceEncoder(device="cpu")
    return _ENCODER


def background() -> tuple[Any, np.ndarray]:
    """The product's shipped background texts and their frozen MiniLM embeddings, cached
    by the product's own background cache (`intent.background.embed_cached`)."""
    from intent.background import embed_cached, load_background
    from intent.encoder import base_model_path

    bg = load_background("builtin")
    identity = f"bench sentence-transformers {base_model_path()}"
    return bg, embed_cached(bg.texts, identity, lambda: encoder().encode(bg.texts))


def run_baseline(system: str, data: BuiltData) -> dict[str, Any]:
    """Fit on the training turns; threshold by the product's procedure (cross-fitted
    held-out scores, unseen intents simulated, the product's background selection as
    far-OOS held-out text, never a training class) and, as an upper bound, on the test."""
    from sklearn.linear_model import LogisticRegression

    from intent.background import select_background
    from intent.calibration import softmax
    from intent.open_set import choose, cross_fit
    from intent.training_args import TrainingArgs

    args = TrainingArgs()
    labels = sorted({e.label for e in data.train})
    index = {label: i for i, label in enumerate(labels)}
    texts = [e.text for e in data.train]
    y = np.array([index[e.label] for e in data.train])
    n = len(labels)
    enc = encoder() if system == "minilm_frozen_lr" else None

    def fit(rows_texts: list[str], rows_x: np.ndarray, rows_y: np.ndarray) -> _Fold:
        if system == "tfidf_lr":
            pipe = _tfidf_pipeline().fit(rows_texts, rows_y)
            return _Fold(lambda _x, t: _lr_logits(pipe[-1], pipe[:-1].transform(list(t)), n))
        clf = LogisticRegression(C=LR_C, max_iter=LR_MAX_ITER).fit(rows_x, rows_y)
        return _Fold(lambda x, _t: _lr_logits(clf, x, n))

    # 1. the model on every training turn (MiniLM: embedding included, model load not)
    t0, c0 = time.perf_counter(), time.process_time()
    x = enc.encode(texts) if enc is not None else np.zeros((len(texts), 1), np.float32)
    final = fit(texts, x, y)
    fit_wall, fit_cpu = time.perf_counter() - t0, time.process_time() - c0

    # 2. the far-OOS held-out text: the product's background selection (MiniLM similarity
    # to the training turns; for tfidf_lr timed apart, it is not part of that system)
    t1 = time.perf_counter()
    bg, bg_all = background()
    train_emb = x if enc is not None else encoder().encode(texts)
    keep = select_background(
        bg_all, train_emb, args.background_max_similarity, args.background_size, args.seed,
        bg.groups, args.background_group_overlap,
        labels=[e.label for e in data.train],
        topic_similarity=args.background_topic_similarity,
    )  # fmt: skip
    bg_texts = [bg.texts[i] for i in keep]
    bg_x = bg_all[keep] if enc is not None else np.zeros((len(keep), 1), np.float32)
    select_wall = time.perf_counter() - t1

    # 3. the product's threshold procedure on the baseline's own held-out scores
    t1 = time.perf_counter()

    def fold_fit(rows: np.ndarray, _bg_rows: np.ndarray) -> _Fold:
        idx = np.flatnonzero(rows)
        return fit([texts[i] for i in idx], x[idx], y[idx])

    pool = cross_fit(fold_fit, x, texts, y, bg_x, bg_texts, args.oos_folds, args.seed)
    point = choose(pool, None, False)
    threshold_wall = time.perf_counter() - t1

    out: dict[str, Any] = {
        "train_wall_s": fit_wall,
        "train_cpu_s": fit_cpu,
        "threshold_wall_s": threshold_wall,
        "background_select_wall_s": select_wall,
        "temperature": point.temperature,
        "n_background": len(bg_texts),
        "held_out_point": point.figures,
        "variants": {},
    }
    unique, where = _unique_texts(data)
    ux = enc.encode(unique) if enc is not None else np.zeros((len(unique), 1), np.float32)
    probs_all = softmax(final.logits(ux, unique)[0], point.temperature)
    for variant, test in data.test.items():
        probs = probs_all[where[variant]]
        top = probs.argmax(axis=1)
        conf = probs.max(axis=1)
        right = np.array([labels[t] == e.label for t, e in zip(top, test, strict=True)])
        out["variants"][variant] = {
            "same": score_at(conf, right, data.kind, point.threshold),
            "oracle": score_at(conf, right, data.kind, oracle_threshold(conf, right, data.kind)),
        }
    return out


# -- cells and cache -----------------------------------------------------------------------


def cell_key(system: str, spec: OosSpec, root: Path, seed: int, code: str) -> str:
    return stable_hash(
        {
            "bench_version": BENCH_VERSION,
            "noiser_version": NOISER_VERSION,
            "intent_code": code,
            "system": system,
            "config": system_config(system),
            "data": spec.fingerprint(root),
            "seed": seed,
        }
    )


def cell_path(cache_dir: Path, system: str, dataset: str, seed: int) -> Path:
    return cache_dir / f"{system}__{dataset}__seed{seed}.json"


def load_cell(path: Path, key: str) -> dict[str, Any] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc["cell"] if doc.get("key") == key else None


def run_cell(
    system: str,
    spec: OosSpec,
    root: Path,
    seed: int,
    cache_dir: Path,
    code: str,
    command: str,
    force: bool,
    data_cache: dict[tuple[str, int], BuiltData],
) -> dict[str, Any]:
    key = cell_key(system, spec, root, seed, code)
    path = cell_path(cache_dir, system, spec.name, seed)
    if not force and (cached := load_cell(path, key)) is not None:
        log(f"{spec.name} seed {seed} {system}: cached")
        return {**cached, "from_cache": True}
    t0 = time.perf_counter()
    log(f"{spec.name} seed {seed} {system}: running")
    base = {
        "system": system,
        "dataset": spec.name,
        "seed": seed,
        "cache_key": key,
        "intent_code": code,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "command": command,
    }
    try:
        if (spec.name, seed) not in data_cache:
            data_cache[(spec.name, seed)] = build_dataset(spec, root, seed)
        data = data_cache[(spec.name, seed)]
        out = run_product(data) if system == "product" else run_baseline(system, data)
    except Exception as exc:  # one failing cell must not stop the others
        log(traceback.format_exc())
        return {**base, "error": f"{type(exc).__name__}: {exc}"}
    cell = {**base, "data": data.info, **out, "cell_seconds": time.perf_counter() - t0}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"key": key, "cell": cell}, default=_json), encoding="utf-8")
    clean = cell["variants"]["clean"]
    first = clean.get("own") or clean.get("same")
    log(
        f"{spec.name} seed {seed} {system}: overall {100 * first['overall']:.1f} "
        f"(oracle {100 * clean['oracle']['overall']:.1f}), train {cell['train_wall_s']:.1f} s "
        f"[{cell['cell_seconds']:.0f} s]"
    )
    return {**cell, "from_cache": False}


def _json(o: Any) -> Any:
    if isinstance(o, np.integer | np.floating):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


def cell_rows(cell: dict[str, Any]) -> list[dict[str, Any]]:
    """Flat report rows of a cell: one per (procedure, variant)."""
    rows = []
    for variant, results in (cell.get("variants") or {}).items():
        for procedure, m in results.items():
            if procedure not in ("own", "same", "oracle"):
                continue
            rows.append(
                {
                    "system": cell["system"],
                    "procedure": procedure,
                    "label": ROW_LABELS[(cell["system"], procedure)],
                    "dataset": cell["dataset"],
                    "variant": variant,
                    "seed": cell["seed"],
                    **m,
                    "train_wall_s": cell["train_wall_s"],
                    "train_cpu_s": cell["train_cpu_s"],
                    "threshold_wall_s": cell.get("threshold_wall_s"),
                    "temperature": cell.get("temperature"),
                }
            )
    return rows


# -- report --------------------------------------------------------------------------------


def _ms(values: Sequence[float | None], scale: float = 100.0, digits: int = 1) -> str:
    vals = [scale * v for v in values if v is not None]
    if not vals:
        return "-"
    if len(vals) == 1:
        return f"{vals[0]:.{digits}f}"
    return f"{np.mean(vals):.{digits}f} ± {np.std(vals, ddof=1):.{digits}f}"


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return out + ["| " + " | ".join(r) + " |" for r in body]


def _load_avg() -> list[float] | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def render_markdown(
    cells: list[dict[str, Any]], meta: dict[str, Any], specs: dict[str, OosSpec]
) -> str:
    ok = [c for c in cells if not c.get("error")]
    failed = [c for c in cells if c.get("error")]
    rows = [r for c in ok for r in cell_rows(c)]
    datasets = [d for d in specs if any(c["dataset"] == d for c in ok)]
    m = meta["machine"]
    seeds = sorted({c["seed"] for c in ok})
    md = [
        "# Out-of-scope detection and training time"
        + (" (quick mode)" if meta["mode"] == "quick" else ""),
        "",
        f"- written: {meta['date']} by `{meta['command']}`",
        f"- machine: {m.get('cpu_model', '?')}, {m.get('logical_cores', '?')} logical cores, "
        f"torch {m.get('torch', '?')} on 2 threads, scikit-learn {m.get('sklearn', '?')}; "
        f"load average (1/5/15 min) at start {meta['load_start']}, at end {meta['load_end']} "
        "(the machine is shared: wall times move with the load)",
        f"- seeds: {', '.join(map(str, seeds))} (each seed draws other in-scope intents and "
        "training turns); cells: mean ± sample std over the seeds, in %",
        f"- cells computed by this run: {sum(not c.get('from_cache') for c in ok)} of {len(ok)} "
        "(the others loaded from the cache; the load average describes this run only)",
        f"- product code: intent/*.py hash {', '.join(sorted({c['intent_code'] for c in ok}))}; "
        "cells are cached in bench/cache/intent_oos/ (the JSON has each cell's date)",
        "",
        "## How to read",
        "",
        "Every system is trained on the same in-scope training turns and never sees an "
        "out-of-scope example. **Overall** is the accuracy over all test turns: an in-scope "
        "turn counts when its intent is right and it is accepted, an out-of-scope turn when it "
        "is rejected. **In-scope** = right and accepted, over in-scope turns; **OOS recall** = "
        "rejected, over out-of-scope turns (near: the corpus's other intents; far: other "
        "brands' customer tweets). *Same threshold procedure* rows give the baselines the "
        "product's way of choosing a threshold without OOS data (cross-fitted held-out scores, "
        "unseen intents simulated, background utterances as far OOS): that is the fair "
        "comparison. *Oracle* rows pick the threshold with the best overall accuracy on the "
        "test set itself: an upper bound no deployed bot gets, shown to separate how well a "
        "system ranks in- vs out-of-scope turns from how well its threshold was chosen. "
        "`messy` = the same models on the test set whose in-scope turns were rewritten by "
        "the test-only noiser (bench/README.md).",
        "",
    ]
    groups = [
        (d, v)
        for d in datasets
        for v in VARIANTS
        if any(r["dataset"] == d and r["variant"] == v for r in rows)
    ]
    md += ["## Summary: overall accuracy incl. out-of-scope, %", ""]
    body = []
    for (system, proc), label in ROW_LABELS.items():
        cells_of = [
            _ms(
                [
                    r["overall"]
                    for r in rows
                    if (r["system"], r["procedure"], r["dataset"], r["variant"])
                    == (system, proc, d, v)
                ]
            )
            for d, v in groups
        ]
        if any(c != "-" for c in cells_of):
            body.append([label, *cells_of])
    md += _table(["system", *[f"{d} {v}" for d, v in groups]], body)
    if any((r.get("temperature") or 1.0) < 0.051 for r in rows):
        md += [
            "",
            "A temperature at 0.05 (the lower end of `fit_temperature`'s search) means the "
            "held-out in-scope turns were nearly all right, so the procedure sharpened the "
            "probabilities until confidences crowd at 1 and the threshold prints as 1.0000.",
        ]
    md += [
        "",
        "## Data sets (per seed)",
        "",
    ]
    body = []
    for d in datasets:
        info = next(c["data"] for c in ok if c["dataset"] == d)
        if specs[d].builtin:
            test = (
                f"{info['n_test_in_scope']} in scope + {info['n_test_near_oos']} near OOS + "
                f"{info['n_test_far_oos']} far OOS"
            )
        else:
            test = (
                f"{info['n_test_in_scope']} in scope + {info['n_test_oos']} OOS (of which "
                f"{info['n_test_unknown_label_as_oos']} with a label the training data lacks); "
                f"{info['n_train_oos_dropped']} OOS training turns dropped"
            )
        body.append(
            [d, specs[d].describe(), f"{info['n_train']} ({info['n_intents']} intents)", test]
        )
    md += _table(["data set", "what", "training turns", "test turns"], body)

    for d in datasets:
        for variant in VARIANTS:
            sel = [r for r in rows if r["dataset"] == d and r["variant"] == variant]
            if not sel:
                continue
            md += ["", f"## {d}, {variant}", ""]
            body = []
            for (system, proc), label in ROW_LABELS.items():
                rs = [r for r in sel if r["system"] == system and r["procedure"] == proc]
                if not rs:
                    continue
                body.append(
                    [
                        f"**{label}**" if system == "product" and proc == "own" else label,
                        _ms([r["overall"] for r in rs]),
                        _ms([r["in_scope_accuracy"] for r in rs]),
                        _ms([r["oos_recall"] for r in rs]),
                        _ms([r.get("oos_recall_near") for r in rs]),
                        _ms([r.get("oos_recall_far") for r in rs]),
                        _ms([r["closed_set_accuracy"] for r in rs]),
                        _ms([r["threshold"] for r in rs], scale=1.0, digits=4),
                        _ms([r["temperature"] for r in rs], scale=1.0, digits=2),
                    ]
                )
            md += _table(
                [
                    "system",
                    "overall",
                    "in-scope acc",
                    "OOS recall",
                    "near OOS recall",
                    "far OOS recall",
                    "closed-set acc",
                    "threshold",
                    "temperature",
                ],
                body,
            )

    md += [
        "",
        "## Training time, wall s (mean ± std over seeds)",
        "",
        "product: `train()` as a user calls it (encoder load, embedding, background, noisy "
        "copies, operating point, final heads). Baselines: fit = the model on every training "
        "turn (MiniLM: embedding included, model load not); + threshold = the cross-fitted "
        "threshold procedure (4 more fits; background embeddings cached on disk, as the "
        "product's are).",
        "",
    ]
    body = []
    for system in SYSTEMS:
        line = [system]
        for d in datasets:
            cs = [c for c in ok if c["system"] == system and c["dataset"] == d]
            if not cs:
                line.append("-")
            elif system == "product":
                line.append(
                    f"{_ms([c['train_wall_s'] for c in cs], 1.0)} "
                    f"[CPU {_ms([c['train_cpu_s'] for c in cs], 1.0, 0)}]"
                )
            else:
                line.append(
                    f"fit {_ms([c['train_wall_s'] for c in cs], 1.0)} + threshold "
                    f"{_ms([c['threshold_wall_s'] for c in cs], 1.0)}"
                )
        body.append(line)
    md += _table(["system", *datasets], body)
    md += ["", "### The product's training phases (wall s, mean over seeds)", ""]
    body = []
    for d in datasets:
        cs = [c for c in ok if c["system"] == "product" and c["dataset"] == d]
        if not cs:
            continue
        phases: dict[str, list[float]] = {}
        for c in cs:
            for k, v in (c.get("phase_seconds") or {}).items():
                phases.setdefault(k, []).append(v)
        split = ", ".join(f"{k} {np.mean(v):.1f}" for k, v in phases.items())
        decisions = sorted(
            {
                f"{(c.get('fine_tuning') or {}).get('encoder', '?')}: "
                f"{(c.get('fine_tuning') or {}).get('reason', '')}"
                for c in cs
            }
        )
        body.append(
            [
                d,
                str(cs[0]["data"]["n_train"]),
                _ms([c["train_wall_s"] for c in cs], 1.0),
                split,
                "; ".join(decisions),
            ]
        )
    md += _table(["data set", "training turns", "wall s", "phases", "fine-tuning decision"], body)
    if failed:
        md += ["", "## Cells that failed", ""]
        md += _table(
            ["system", "data set", "seed", "error"],
            [[c["system"], c["dataset"], str(c["seed"]), c["error"][:200]] for c in failed],
        )
    if meta.get("plot"):
        md += [
            "",
            f"![overall accuracy per data set; the product's operating curve]({meta['plot']})",
            "",
            "Left: overall accuracy (mean over seeds, bars = std); hatched bars are oracle "
            "thresholds (upper bounds). Right: the product's operating curve on the test set "
            f"of {meta.get('curve_of', '?')}, its chosen threshold dashed.",
        ]
    return "\n".join(md) + "\n"


def plot(cells: list[dict[str, Any]], path: Path, specs: dict[str, OosSpec]) -> str | None:
    """Writes the PNG; returns which product cell the right panel shows."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [c for c in cells if not c.get("error")]
    rows = [r for c in ok for r in cell_rows(c)]
    groups = [
        (d, v)
        for d in specs
        for v in VARIANTS
        if any(r["dataset"] == d and r["variant"] == v for r in rows)
    ]
    if not groups:
        return None
    series = [k for k in ROW_LABELS if any((r["system"], r["procedure"]) == k for r in rows)]
    colours = {"product": "tab:red", "tfidf_lr": "tab:blue", "minilm_frozen_lr": "tab:green"}
    fig, (ax, ax2) = plt.subplots(
        1, 2, figsize=(max(13, 2.2 * len(groups) + 7), 6.0), gridspec_kw={"width_ratios": [2.3, 1]}
    )
    width = 0.8 / max(1, len(series))
    for i, (system, proc) in enumerate(series):
        xs, ys, es = [], [], []
        for j, (d, v) in enumerate(groups):
            vals = [
                100 * r["overall"]
                for r in rows
                if (r["system"], r["procedure"], r["dataset"], r["variant"]) == (system, proc, d, v)
            ]
            if vals:
                xs.append(j + i * width)
                ys.append(np.mean(vals))
                es.append(np.std(vals, ddof=1) if len(vals) > 1 else 0.0)
        ax.bar(
            xs,
            ys,
            width,
            yerr=es,
            capsize=2,
            color=colours[system],
            alpha=0.45 if proc == "oracle" else 0.9,
            hatch="//" if proc == "oracle" else None,
            edgecolor="black",
            linewidth=0.4,
            label=ROW_LABELS[(system, proc)],
        )
        for x0, y0, e0 in zip(xs, ys, es, strict=True):
            ax.text(x0, y0 + e0 + 0.6, f"{y0:.1f}", ha="center", va="bottom", rotation=90,
                    fontsize=6.5)  # fmt: skip
    ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(len(groups))])
    ax.set_xticklabels([f"{d}\n{v}" for d, v in groups], fontsize=8)
    ax.set_ylabel("overall accuracy incl. out-of-scope, %")
    low = min(100 * r["overall"] for r in rows)
    ax.set_ylim(max(0, 10 * math.floor(low / 10) - 10), 108)
    ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, frameon=False)
    ax.set_title("Overall accuracy (in scope right and accepted, OOS rejected)")

    product = [c for c in ok if c["system"] == "product"]
    pick = next(
        (c for c in product if c["dataset"] == "banking77_oos" and c["seed"] == 0),
        product[0] if product else None,
    )
    shown = None
    if pick is not None:
        curve = pick["variants"]["clean"]["curve"]
        t = [p["threshold"] for p in curve]
        ax2.plot(t, [p["in_scope_accuracy"] for p in curve], label="in-scope accuracy")
        ax2.plot(t, [p["oos_recall"] for p in curve], label="OOS recall")
        ax2.plot(t, [p["overall"] for p in curve], label="overall accuracy", linewidth=2.5)
        th = pick["variants"]["clean"]["own"]["threshold"]
        ax2.axvline(th, color="grey", linestyle="--", label=f"chosen threshold {th:.2f}")
        best = max(curve, key=lambda p: p["overall"])
        ax2.plot(
            best["threshold"], best["overall"], "k*", markersize=9,
            label=f"best on the test (oracle) {best['threshold']:.2f}",
        )  # fmt: skip
        ax2.set_xlabel("confidence threshold")
        ax2.set_ylim(0, 1.02)
        ax2.legend(fontsize=7, loc="lower left")
        shown = f"{pick['dataset']} seed {pick['seed']} (clean)"
        ax2.set_title(f"Product operating curve, {shown}", fontsize=9)
    else:
        ax2.axis("off")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return shown


def write_report(
    cells: list[dict[str, Any]], meta: dict[str, Any], specs: dict[str, OosSpec], out: Path,
    stem: str,
) -> list[Path]:  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    png = out / f"{stem}.png"
    shown = plot(cells, png, specs)
    meta = {**meta, "plot": png.name if png.exists() and shown is not None else None}
    meta["curve_of"] = shown
    (out / f"{stem}.md").write_text(render_markdown(cells, meta, specs), encoding="utf-8")
    doc = {
        "meta": meta,
        "datasets": {n: asdict(s) for n, s in specs.items()},
        "rows": [r for c in cells if not c.get("error") for r in cell_rows(c)],
        "cells": cells,
    }
    (out / f"{stem}.json").write_text(json.dumps(doc, indent=1, default=_json), encoding="utf-8")
    return [out / f"{stem}.md", out / f"{stem}.json", png]


# -- main ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m bench.intent_oos",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--datasets-root", type=Path, default=Path("../shared/datasets"))
    ap.add_argument(
        "--quick", action="store_true", help="1 seed, banking77_oos + bitext_oos; *_quick.*"
    )
    ap.add_argument("--datasets", help="comma-separated subset of the data sets' names")
    ap.add_argument(
        "--dataset",
        action="append",
        default=[],
        metavar="NAME=TRAIN,TEST[,OOS_LABEL]",
        help="add user data (any format intent.data.load_examples reads); OOS_LABEL (default "
        "oos) marks the out-of-scope test turns; one seed, no messy variant; repeatable",
    )
    ap.add_argument("--seeds", type=int, help="seeds per built-in data set (default 3; quick 1)")
    ap.add_argument("--systems", help=f"comma-separated subset of: {','.join(SYSTEMS)}")
    ap.add_argument("--force", action="store_true", help="recompute cached cells")
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load_start = _load_avg()
    mode = "quick" if args.quick else "full"
    command = shlex.join(
        [".venv/bin/python", "-m", "bench.intent_oos", *(sys.argv[1:] if argv is None else argv)]
    )
    specs = dict(BUILTIN)
    try:
        user = [parse_user_spec(t) for t in args.dataset]
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc
    specs |= {s.name: s for s in user}
    default = list(QUICK_DATASETS) if args.quick else list(BUILTIN)
    default += [s.name for s in user if s.name not in default]
    names = select_names(args.datasets, specs, "data set", default)
    systems = select_names(args.systems, SYSTEMS, "system")
    n_seeds = args.seeds if args.seeds is not None else (1 if args.quick else 3)
    if n_seeds < 1:
        raise SystemExit("--seeds must be >= 1")
    root = args.datasets_root
    code = intent_code_hash()
    log(
        f"{mode}: data sets {', '.join(names)}; {n_seeds} seed(s) per built-in data set; "
        f"systems {', '.join(systems)}"
    )

    cells: list[dict[str, Any]] = []
    data_cache: dict[tuple[str, int], BuiltData] = {}
    for name in names:
        spec = specs[name]
        for seed in range(n_seeds if spec.builtin else 1):
            for system in systems:
                cells.append(
                    run_cell(
                        system,
                        spec,
                        root,
                        seed,
                        args.cache_dir,
                        code,
                        command,
                        args.force,
                        data_cache,
                    )  # fmt: skip
                )
            data_cache.pop((name, seed), None)

    from bench.intent_report import machine_info

    meta = {
        "mode": mode,
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "command": command,
        "machine": machine_info(),
        "load_start": load_start,
        "load_end": _load_avg(),
        "seeds": n_seeds,
        "intent_code": code,
    }
    shown = {n: specs[n] for n in names}
    stem = "intent_oos_quick" if args.quick else "intent_oos"
    paths = write_report(cells, meta, shown, args.results_dir, stem)
    log("report: " + ", ".join(str(p) for p in paths))
    return 1 if any(c.get("error") for c in cells) else 0


if __name__ == "__main__":
    raise SystemExit(main())
