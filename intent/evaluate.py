"""Evaluation: metrics.json, a per-intent Markdown report, confusion-matrix and reliability
plots.

Metrics (all on the given data):
- `accuracy`, `macro_f1`: closed-set, the top label among the trained labels (how intent
  benchmarks are reported);
- `accuracy_at_operating_point`: the model's decision, out-of-scope rejection included;
- `ece`: expected calibration error of the top label's confidence (15 bins);
- with an out-of-scope label in the data: `in_scope_accuracy` (in-scope turns right AND
  accepted), `oos_recall` (OOS turns flagged), `oos_precision`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from intent.calibration import expected_calibration_error
from intent.data import Example
from intent.modeling import IntentModel


def evaluate(
    model: IntentModel, examples: Sequence[Example], oos_label: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Returns (metrics, details) where details holds per-example arrays for the report."""
    if not examples:
        raise ValueError("nothing to evaluate: the data set is empty")
    oos = oos_label or model.config.oos_label
    texts = [e.text for e in examples]
    gold = [e.label for e in examples]
    probs = model.probabilities(texts)
    top = [model.labels[i] for i in probs.argmax(axis=1)]
    conf = probs.max(axis=1)
    preds = model.decide(texts, probs)
    decided = [p.intent for p in preds]
    correct = np.array([t == g for t, g in zip(top, gold, strict=True)])
    metrics: dict[str, Any] = {
        "n": len(examples),
        "accuracy": float(accuracy_score(gold, top)),
        "macro_f1": float(f1_score(gold, top, average="macro", zero_division=0)),
        "ece": expected_calibration_error(conf, correct),
        "accuracy_at_operating_point": float(accuracy_score(gold, decided)),
        "oos_threshold": model.config.oos_threshold,
        "temperature": model.config.temperature,
    }
    unknown = sorted({g for g in gold if g not in model.labels and g != oos})
    if unknown:
        metrics["labels_not_in_model"] = unknown
    is_oos_gold = np.array([g == oos for g in gold])
    if is_oos_gold.any():
        flagged = np.array([p.out_of_scope for p in preds])
        in_scope = ~is_oos_gold
        right = np.array([d == g for d, g in zip(decided, gold, strict=True)])
        metrics |= {
            "oos_label": oos,
            "n_oos": int(is_oos_gold.sum()),
            "in_scope_accuracy": float(np.mean(right[in_scope] & ~flagged[in_scope]))
            if in_scope.any()
            else None,
            "oos_recall": float(np.mean(flagged[is_oos_gold])),
            "oos_precision": float(np.mean(is_oos_gold[flagged])) if flagged.any() else None,
        }
    details = {"gold": gold, "top": top, "conf": conf, "correct": correct, "texts": texts}
    return metrics, details


def write_report(
    metrics: dict[str, Any],
    details: dict[str, Any],
    out: str | Path,
    title: str = "Intent evaluation",
) -> Path:
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    (d / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    gold, top = details["gold"], details["top"]
    labels = sorted(set(gold) | set(top))
    p, r, f, s = precision_recall_fscore_support(gold, top, labels=labels, zero_division=0)
    confusions = Counter((g, t) for g, t in zip(gold, top, strict=True) if g != t)
    lines = [f"# {title}", "", "| metric | value |", "|---|---|"]
    for k, v in metrics.items():
        lines.append(f"| {k} | {v:.4f} |" if isinstance(v, float) else f"| {k} | {v} |")
    lines += [
        "",
        "![confusion matrix](confusion_matrix.png)",
        "![reliability](reliability.png)",
        "",
        "## Per intent (worst F1 first)",
        "",
        "| intent | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for i in np.argsort(f):
        lines.append(f"| {labels[i]} | {p[i]:.3f} | {r[i]:.3f} | {f[i]:.3f} | {s[i]} |")
    lines += [
        "",
        "## Most frequent confusions",
        "",
        "| gold | predicted | count |",
        "|---|---|---|",
    ]
    lines += [f"| {g} | {t} | {n} |" for (g, t), n in confusions.most_common(20)]
    (d / "report.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _plots(d, gold, top, labels, details["conf"], details["correct"])
    return d


def _plots(
    d: Path,
    gold: list[str],
    top: list[str],
    labels: list[str],
    conf: np.ndarray,
    correct: np.ndarray,
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cm = confusion_matrix(gold, top, labels=labels).astype(float)
    cm /= np.clip(cm.sum(axis=1, keepdims=True), 1, None)
    size = max(6.0, 0.18 * len(labels) + 3)
    fig, ax = plt.subplots(figsize=(size, size))
    im = ax.imshow(cm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=6)
    ax.set_yticks(range(len(labels)), labels, fontsize=6)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title("Confusion matrix (row-normalised)")
    fig.colorbar(im, fraction=0.046)
    fig.tight_layout()
    fig.savefig(d / "confusion_matrix.png", dpi=110)
    plt.close(fig)

    edges = np.linspace(0, 1, 11)
    mids, accs = [], []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            mids.append(conf[m].mean())
            accs.append(correct[m].mean())
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.plot(mids, accs, "o-", label="model")
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.set_title("Reliability diagram")
    ax.legend()
    fig.tight_layout()
    fig.savefig(d / "reliability.png", dpi=110)
    plt.close(fig)
