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
from intent.open_set import in_scope_confidence


def evaluate(
    model: IntentModel, examples: Sequence[Example], oos_label: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Returns (metrics, details) where details holds per-example arrays for the report.

    `oos_label` names the data's out-of-scope label when it differs from the model's (e.g.
    `oos`, `NO_NODES_DETECTED`); a turn the model rejects counts as that label."""
    if not examples:
        raise ValueError("nothing to evaluate: the data set is empty")
    oos = oos_label or detect_oos_label(model, [e.label for e in examples])
    texts = [e.text for e in examples]
    gold = [e.label for e in examples]
    probs = model.probabilities(texts)
    model_oos = (
        model.labels.index(model.config.oos_label)
        if model.config.oos_label in model.labels
        else None
    )
    # closed set: over every label when the data uses the model's OOS class, else in-scope only
    ranked = probs.copy()
    if model_oos is not None and model.config.oos_label not in gold:
        ranked[:, model_oos] = -1.0
    top = [model.labels[i] for i in ranked.argmax(axis=1)]
    conf = ranked.max(axis=1)
    preds = model.decide(texts, probs)
    decided = [oos if p.out_of_scope else p.intent for p in preds]
    scored = np.array([g in model.labels for g in gold])  # rows the closed set can get right
    correct = np.array([t == g for t, g in zip(top, gold, strict=True)])
    g_scored = [g for g, k in zip(gold, scored, strict=True) if k]
    t_scored = [t for t, k in zip(top, scored, strict=True) if k]
    metrics: dict[str, Any] = {
        "n": len(examples),
        "accuracy": float(accuracy_score(g_scored, t_scored)) if g_scored else None,
        "macro_f1": float(f1_score(g_scored, t_scored, average="macro", zero_division=0))
        if g_scored
        else None,
        "ece": expected_calibration_error(conf[scored], correct[scored]),
        "accuracy_at_operating_point": float(accuracy_score(gold, decided)),
        "oos_threshold": model.config.oos_threshold,
        "temperature": model.config.temperature,
    }
    if hasattr(model, "thresholds"):  # a LanguageRouter: one operating point per language
        metrics["oos_threshold_by_language"] = model.thresholds
    unknown = sorted({g for g in gold if g not in model.labels and g != oos})
    if unknown:
        metrics["labels_not_in_model"] = unknown
    is_oos_gold = np.array([g == oos for g in gold])
    curve: list[dict[str, float]] = []
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
        curve = operating_curve(model, probs, gold, is_oos_gold)
    details = {
        "gold": gold, "top": top, "conf": conf, "correct": correct, "texts": texts,
        "scored": scored, "curve": curve, "threshold": model.config.oos_threshold,
        "decided": decided,
    }  # fmt: skip
    return metrics, details


# names data sets give their out-of-scope turns (compared lower-cased, "-" and " " as "_")
OOS_ALIASES = frozenset(
    {
        "out_of_scope", "oos", "outofscope", "out_of_domain", "ood", "no_nodes_detected",
        "nlu_fallback", "fallback", "none", "unknown", "no_intent", "other",
    }
)  # fmt: skip


def detect_oos_label(model: IntentModel, gold: Sequence[str]) -> str:
    """The data's out-of-scope label when `--oos-label` is not given: the model's own if
    the data uses it, else the one label the model does not know whose name is a common
    out-of-scope name (`OOS_ALIASES`, e.g. `oos`, `NO_NODES_DETECTED`)."""
    if model.config.oos_label in gold:
        return model.config.oos_label
    unknown = {g for g in gold if g not in model.labels}
    named = sorted(
        g for g in unknown if g.lower().replace("-", "_").replace(" ", "_") in OOS_ALIASES
    )
    return named[0] if len(named) == 1 else model.config.oos_label


def operating_curve(
    model: IntentModel, probs: np.ndarray, gold: Sequence[str], is_oos_gold: np.ndarray
) -> list[dict[str, float]]:
    """In-scope accuracy, OOS recall and overall accuracy at thresholds 0, 0.02, ..., 1."""
    oos_index = (
        model.labels.index(model.config.oos_label)
        if model.config.oos_label in model.labels
        else None
    )
    conf, top = in_scope_confidence(probs, oos_index)
    right = np.array([model.labels[t] == g for t, g in zip(top, gold, strict=True)])
    ins = ~is_oos_gold
    out = []
    for t in np.round(np.arange(0, 1.0001, 0.02), 2):
        accepted = conf >= t
        acc_in = float(np.mean(right[ins] & accepted[ins])) if ins.any() else 0.0
        rec = float(np.mean(~accepted[is_oos_gold]))
        overall = float(np.mean(np.where(is_oos_gold, ~accepted, right & accepted)))
        out.append(
            {
                "threshold": float(t),
                "in_scope_accuracy": acc_in,
                "oos_recall": rec,
                "overall": overall,
            }
        )
    return out


def write_report(
    metrics: dict[str, Any],
    details: dict[str, Any],
    out: str | Path,
    title: str = "Intent evaluation",
) -> Path:
    d = Path(out)
    d.mkdir(parents=True, exist_ok=True)
    (d / "metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    scored = details.get("scored")
    keep = list(scored) if scored is not None else [True] * len(details["gold"])
    gold = [g for g, k in zip(details["gold"], keep, strict=True) if k]
    top = [t for t, k in zip(details["top"], keep, strict=True) if k]
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
    ]
    if details.get("curve"):
        best = max(details["curve"], key=lambda p: p["overall"])
        lines += [
            "## Out-of-scope operating curve",
            "",
            f"The model's threshold is {details['threshold']:.3f}. On this data the best "
            f"overall accuracy would be {best['overall']:.4f} at {best['threshold']:.2f} "
            "(chosen on the test data: an upper bound, not a result).",
            "",
            "![operating curve](operating_curve.png)",
            "",
        ]
    lines += [
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
    conf, correct = np.asarray(details["conf"]), np.asarray(details["correct"])
    mask = np.asarray(keep, dtype=bool)
    _plots(d, gold, top, labels, conf[mask], correct[mask])
    if details.get("curve"):
        _curve_plot(d, details["curve"], float(details["threshold"]))
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


def _curve_plot(d: Path, curve: list[dict[str, float]], threshold: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = [p["threshold"] for p in curve]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(
        t, [p["in_scope_accuracy"] for p in curve], label="in-scope accuracy (right and accepted)"
    )
    ax.plot(t, [p["oos_recall"] for p in curve], label="out-of-scope recall")
    ax.plot(t, [p["overall"] for p in curve], label="overall accuracy", linewidth=2.5)
    ax.axvline(threshold, color="grey", linestyle="--", label=f"model threshold {threshold:.2f}")
    ax.set_xlabel("confidence threshold")
    ax.set_ylim(0, 1.02)
    ax.set_title("Out-of-scope operating curve")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    fig.savefig(d / "operating_curve.png", dpi=110)
    plt.close(fig)
