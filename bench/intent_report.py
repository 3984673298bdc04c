"""Markdown + JSON + PNG report of the intent benchmark (layout of docs/benchmarks.md)."""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Published / earlier-measured rows of shared/docs/benchmarks.md ("Intent classification").
# Values are accuracy in percent; None = not reported.
REFERENCE_ROWS: list[dict[str, Any]] = [
    {
        "system": "BERT-large fine-tuned (Casanueva et al., 2020)",
        "kind": "published",
        "acc": {"banking77_full": 93.66, "banking77_10shot": 83.42},
    },
    {
        "system": "USE+ConveRT (Casanueva et al., 2020)",
        "kind": "published",
        "acc": {"banking77_full": 93.36, "banking77_10shot": 85.19, "hwu64_10shot": 85.83},
    },
    {
        "system": "ConvFiT (Vulic et al., 2021)",
        "kind": "published (secondary source)",
        "acc": {"banking77_full": 94.16, "hwu64_full": 92.42},
    },
    {
        "system": "CPFT / ICDA (few-shot literature)",
        "kind": "published",
        "acc": {"banking77_10shot": "87.20 / 89.79", "hwu64_10shot": "87.13 / 87.41"},
    },
    {
        "system": "TF-IDF word+char n-grams + LR",
        "kind": "reference (benchmarks.md, measured earlier)",
        "acc": {
            "banking77_full": 91.59,
            "banking77_10shot": 75.91,
            "hwu64_full": 87.45,
            "hwu64_10shot": 70.82,
            "bitext": 99.75,
        },
    },
    {
        "system": "all-MiniLM-L6-v2 frozen + LR",
        "kind": "reference (benchmarks.md, measured earlier)",
        "acc": {
            "banking77_full": 92.82,
            "banking77_10shot": 86.23,
            "hwu64_full": 90.15,
            "hwu64_10shot": 83.46,
            "bitext": 99.38,
        },
    },
    {
        "system": "all-MiniLM-L6-v2 fine-tuned, CLS head",
        "kind": "reference (benchmarks.md, GPU)",
        "acc": {
            "banking77_full": 92.92,
            "banking77_10shot": 77.99,
            "hwu64_full": 91.26,
            "hwu64_10shot": 81.04,
        },
    },
    {
        "system": "Rasa DIET (40 epochs)",
        "kind": "reference (benchmarks.md, measured earlier)",
        "acc": {"banking77_full": "90.39 (F1 90.40)"},
    },
    {
        "system": "**the product (goal)**",
        "kind": "goal (p50 <= 5 ms, 2 CPU cores)",
        "acc": {
            "banking77_full": ">= 94.2",
            "banking77_10shot": ">= 89.8",
            "hwu64_full": ">= 92.5",
            "hwu64_10shot": ">= 87.5",
        },
    },
]


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info: dict[str, Any] = {
        "cpu_model": cpu,
        "logical_cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    from importlib.metadata import PackageNotFoundError, version

    for key, dist in (
        ("torch", "torch"),
        ("sklearn", "scikit-learn"),
        ("transformers", "transformers"),
    ):
        try:
            info[key] = version(dist)
        except PackageNotFoundError:  # pragma: no cover
            info[key] = None
    return info


def row_label(row: dict[str, Any]) -> str:
    label = str(row["system"])
    dev = row.get("train_device", "cpu")
    if row.get("imported") or (dev and dev != "cpu"):
        label += f" (trained on {dev}" + (", imported" if row.get("imported") else "") + ")"
    return label


def _grid(
    rows: Sequence[dict[str, Any]],
) -> tuple[list[str], list[str], dict[tuple[str, str], dict]]:
    systems: list[str] = []
    datasets: list[str] = []
    cells: dict[tuple[str, str], dict] = {}
    for r in rows:
        s, d = row_label(r), str(r["dataset"])
        if s not in systems:
            systems.append(s)
        if d not in datasets:
            datasets.append(d)
        cells[(s, d)] = r
    return systems, datasets, cells


def _pct(x: Any) -> str:
    return f"{100 * float(x):.2f}"


def _train_cell(r: dict[str, Any] | None) -> str:
    if r is None:
        return "-"
    cpu = f" [{r['train_cpu_s']:.0f}]" if r.get("train_cpu_s") is not None else ""
    return f"{r['train_time_s']:.1f}{cpu} ({r.get('train_device', 'cpu')})"


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in body]
    return out


def render_markdown(
    rows: Sequence[dict[str, Any]], meta: dict[str, Any], dataset_order: Sequence[str] = ()
) -> str:
    ok = [r for r in rows if not r.get("error")]
    failed = [r for r in rows if r.get("error")]
    systems, datasets, cells = _grid(ok)
    datasets = [d for d in dataset_order if d in datasets] + [
        d for d in datasets if d not in dataset_order
    ]
    m = meta.get("machine", {})
    md = [
        f"# Intent classification benchmark{' (quick mode)' if meta.get('mode') == 'quick' else ''}",
        "",
        f"- written: {meta.get('date', '?')} by `{meta.get('command', '?')}`",
        f"- machine: {m.get('cpu_model', '?')}, {m.get('logical_cores', '?')} logical cores; "
        f"{m.get('platform', '')}; Python {m.get('python', '')}, torch {m.get('torch', '?')}, "
        f"scikit-learn {m.get('sklearn', '?')}",
        f"- mode: {meta.get('mode')}; each cell is cached (bench/cache/intent) and carries its own "
        "date and command in the JSON report",
        "",
        "## Accuracy (macro-F1), official test split, %",
        "",
    ]
    body = []
    for s in systems:
        line = [s]
        for d in datasets:
            r = cells.get((s, d))
            line.append(f"{_pct(r['accuracy'])} ({_pct(r['macro_f1'])})" if r else "-")
        notes = {r["note"] for d in datasets if (r := cells.get((s, d))) and r.get("note")}
        line.append(
            "; ".join(sorted(notes)) or "measured here (this machine; per-cell date in the JSON)"
        )
        body.append(line)
    for ref in REFERENCE_ROWS:
        line = [ref["system"]] + [str(ref["acc"].get(d, "-")) for d in datasets] + [ref["kind"]]
        body.append(line)
    md += _table(["system", *datasets, "notes"], body)
    md += ["", "## Single-utterance latency, p50 / p99 ms (batch of 1, 2 threads)", ""]
    md += _table(
        ["system", *datasets],
        [
            [s]
            + [
                f"{cells[(s, d)]['latency_p50_ms']:.2f} / {cells[(s, d)]['latency_p99_ms']:.2f}"
                if (s, d) in cells and "latency_p50_ms" in cells[(s, d)]
                else "-"
                for d in datasets
            ]
            for s in systems
        ],
    )
    md += ["", "## Training time: wall s [CPU s] (train device)", ""]
    md += _table(
        ["system", *datasets],
        [[s] + [_train_cell(cells.get((s, d))) for d in datasets] for s in systems],
    )
    md += [
        "",
        "CPU s = user + system CPU seconds of the training (all threads / the rasa process); "
        "unlike wall time it hardly moves when other jobs share the machine.",
    ]
    md += ["", "## Data (train / test examples, labels)", ""]
    sizes: dict[str, str] = {}
    for r in ok:
        sizes.setdefault(r["dataset"], f"{r['n_train']} / {r['n_test']} / {r.get('n_labels', '?')}")
    md += _table(["dataset", "train / test / labels"], [[d, sizes.get(d, "-")] for d in datasets])
    if failed:
        md += ["", "## Cells that failed", ""]
        md += _table(
            ["system", "dataset", "error"],
            [
                [str(r["system"]), str(r["dataset"]), str(r["error"]).splitlines()[0][:200]]
                for r in failed
            ],
        )
    md += [
        "",
        "Notes: accuracy/macro-F1 by scikit-learn on the official test split (Rasa DIET: from "
        "`rasa test nlu`'s intent_report.json). Training time is the fit wall time (MiniLM: "
        "embedding the train split + LR; Rasa: the whole `rasa train nlu` process). Latency: "
        "`predict` on one utterance at a time after warm-up (Rasa: `Agent.parse_message` in "
        ".venv-rasa). The machine is shared, so absolute times are noisy; compare ratios.",
    ]
    if meta.get("plot"):
        md += ["", f"![accuracy by system and data set]({meta['plot']})"]
    return "\n".join(md) + "\n"


def plot_accuracy(
    rows: Sequence[dict[str, Any]], path: Path, dataset_order: Sequence[str] = ()
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = [r for r in rows if not r.get("error")]
    systems, datasets, cells = _grid(ok)
    datasets = [d for d in dataset_order if d in datasets] + [
        d for d in datasets if d not in dataset_order
    ]
    fig, ax = plt.subplots(figsize=(max(6, 1.8 * len(datasets) + 2), 4.5))
    width = 0.8 / max(1, len(systems))
    for i, s in enumerate(systems):
        xs = [j + i * width for j, d in enumerate(datasets) if (s, d) in cells]
        ys = [100 * cells[(s, d)]["accuracy"] for d in datasets if (s, d) in cells]
        bars = ax.bar(xs, ys, width, label=s)
        ax.bar_label(bars, fmt="%.1f", fontsize=7, rotation=90, padding=2)
    ax.set_xticks([j + width * (len(systems) - 1) / 2 for j in range(len(datasets))])
    ax.set_xticklabels(datasets, rotation=15)
    ax.set_ylabel("accuracy, %")
    ax.set_ylim(50 if ok and min(100 * r["accuracy"] for r in ok) > 55 else 0, 105)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Intent classification accuracy (official test splits)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(
    rows: Sequence[dict[str, Any]],
    meta: dict[str, Any],
    results_dir: Path,
    stem: str,
    dataset_order: Sequence[str] = (),
) -> dict[str, Path]:
    results_dir.mkdir(parents=True, exist_ok=True)
    png = results_dir / f"{stem}_accuracy.png"
    paths = {"md": results_dir / f"{stem}.md", "json": results_dir / f"{stem}.json"}
    if any(not r.get("error") for r in rows):
        plot_accuracy(rows, png, dataset_order)
        paths["png"] = png
        meta = {**meta, "plot": png.name}
    paths["md"].write_text(render_markdown(rows, meta, dataset_order), encoding="utf-8")
    doc = {"meta": meta, "references": REFERENCE_ROWS, "rows": list(rows)}
    paths["json"].write_text(json.dumps(doc, indent=2, default=str), encoding="utf-8")
    return paths
