"""Intent-classification benchmark: `python -m bench.intent --datasets-root ../shared/datasets`.

Runs every system x data set cell (accuracy, macro-F1, training time, single-utterance
latency), caches each cell under bench/cache/intent/<system>__<dataset>__<mode>.json keyed
by a hash of (system config, data files' sizes + mtimes, mode), and writes
bench/results/intent.{md,json} + intent_accuracy.png (quick mode: intent_quick.*).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import sys
import time
import traceback
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault(
    "OMP_NUM_THREADS", "2"
)  # 2 CPU threads for BLAS / torch, as benchmarks.md asks

from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from bench.intent_datasets import (  # noqa: E402
    DatasetSpec,
    build_registry,
    cap_per_label,
    cap_total,
    select_names,
    stable_hash,
)
from bench.intent_report import machine_info, write_report  # noqa: E402
from bench.intent_systems import MODES, System, SystemUnavailable, all_systems, score  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_CACHE = BENCH_DIR / "cache" / "intent"
DEFAULT_RESULTS = BENCH_DIR / "results"
console = Console(stderr=True)


def cache_key(system: System, spec: DatasetSpec, root: Path, mode: str) -> str:
    return stable_hash(
        {
            "system": system.name,
            "config": system.config(mode),
            "data": spec.fingerprint(root),
            "mode": mode,
            "quick_caps": {k: MODES[mode][k] for k in ("per_label", "max_test")},
        }
    )


def cache_path(cache_dir: Path, system: str, dataset: str, mode: str) -> Path:
    return cache_dir / f"{system}__{dataset}__{mode}.json"


def load_cached(path: Path, key: str) -> dict[str, Any] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc["row"] if doc.get("key") == key and not doc["row"].get("error") else None


def prepare(spec: DatasetSpec, root: Path, mode: str) -> tuple[list, list]:
    train, test = spec.load(root)
    if MODES[mode]["per_label"]:
        train = cap_per_label(train, MODES[mode]["per_label"])
    if MODES[mode]["max_test"]:
        test = cap_total(test, MODES[mode]["max_test"])
    return train, test


def run_cell(
    system: System,
    spec: DatasetSpec,
    root: Path,
    mode: str,
    cache_dir: Path,
    force: bool = False,
    command: str = "",
) -> dict[str, Any]:
    """Run (or load from cache) one system x data set cell; returns its result row."""
    key = cache_key(system, spec, root, mode)
    path = cache_path(cache_dir, system.name, spec.name, mode)
    if not force and (cached := load_cached(path, key)) is not None:
        return {**cached, "from_cache": True}
    base: dict[str, Any] = {
        "system": system.name,
        "dataset": spec.name,
        "mode": mode,
        "cache_key": key,
        "config": system.config(mode),
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "command": command,
    }
    try:
        train, test = prepare(spec, root, mode)
        base.update(
            n_train=len(train),
            n_test=len(test),
            n_labels=len({e.label for e in train} | {e.label for e in test}),
        )
        out = system.run(
            train, test, mode, cache_dir / "work" / system.name / f"{spec.name}__{mode}"
        )
    except Exception as exc:  # one failing cell must not stop the others
        kind = "unavailable" if isinstance(exc, SystemUnavailable) else "failed"
        if kind == "failed":
            console.print(traceback.format_exc(), markup=False)
        return {**base, "error": f"{kind}: {exc}"}
    preds = out.pop("predictions", None)
    if preds is not None:
        out.update(score([e.label for e in test], preds))
    row = {**base, **out}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"key": key, "row": row, "predictions": preds}, default=str), encoding="utf-8"
    )
    return {**row, "from_cache": False}


def merge_imported(files: list[Path], cache_dir: Path) -> None:
    """Store externally produced rows (same schema, e.g. product trained on a GPU)."""
    store = cache_dir / "imported.json"
    rows = json.loads(store.read_text()) if store.exists() else []
    for f in files:
        doc = json.loads(Path(f).read_text(encoding="utf-8"))
        new = doc["rows"] if isinstance(doc, dict) else doc
        for r in new:
            missing = {"system", "dataset", "mode", "accuracy", "macro_f1"} - set(r)
            if missing:
                raise ValueError(f"{f}: imported row lacks {sorted(missing)}: {r}")
            r = {
                **r,
                "imported": True,
                "imported_from": str(f),
                "train_device": r.get("train_device", "?"),
            }
            ident = (r["system"], r["dataset"], r["mode"], r["train_device"])
            rows = [
                o
                for o in rows
                if (o["system"], o["dataset"], o["mode"], o["train_device"]) != ident
            ]
            rows.append(r)
    cache_dir.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(rows, indent=2), encoding="utf-8")


def collect_rows(
    systems: dict[str, System],
    registry: dict[str, DatasetSpec],
    root: Path,
    mode: str,
    cache_dir: Path,
    fresh: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Rows for the report: this run's rows, every other still-valid cached cell, imports."""
    done = {(r["system"], r["dataset"]) for r in fresh}
    rows = list(fresh)
    for s in systems.values():
        for spec in registry.values():
            if (s.name, spec.name) in done:
                continue
            path = cache_path(cache_dir, s.name, spec.name, mode)
            if path.exists() and (row := load_cached(path, cache_key(s, spec, root, mode))):
                rows.append(row)
    store = cache_dir / "imported.json"
    if store.exists():
        rows += [r for r in json.loads(store.read_text()) if r.get("mode") == mode]
    order = {n: i for i, n in enumerate(systems)}
    return sorted(rows, key=lambda r: (order.get(r["system"], 99), bool(r.get("imported"))))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="python -m bench.intent",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--datasets-root", type=Path, default=Path("../shared/datasets"))
    ap.add_argument(
        "--quick",
        action="store_true",
        help="<=20 train examples per label, <=300 test, DIET 5 epochs, product 1 epoch",
    )
    ap.add_argument(
        "--systems", help="comma-separated subset of: tfidf_lr,minilm_frozen_lr,rasa_diet,product"
    )
    ap.add_argument("--datasets", help="comma-separated subset of the registry's names")
    ap.add_argument(
        "--dataset",
        action="append",
        default=[],
        metavar="NAME=TRAIN,TEST[,lowercase]",
        help="add a data set (any format intent.data.load_examples reads); repeatable",
    )
    ap.add_argument(
        "--import-results",
        action="append",
        default=[],
        type=Path,
        metavar="FILE.json",
        help="merge externally produced rows (same schema, with train_device)",
    )
    ap.add_argument("--force", action="store_true", help="ignore cached cells and recompute them")
    ap.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    ap.add_argument("--results-dir", type=Path, default=DEFAULT_RESULTS)
    ap.add_argument(
        "--no-report", action="store_true", help="run cells only, do not rewrite the report"
    )
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    mode = "quick" if args.quick else "full"
    command = shlex.join(
        ["python", "-m", "bench.intent", *(sys.argv[1:] if argv is None else argv)]
    )
    try:
        registry = build_registry(args.dataset)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc
    systems = all_systems()
    sys_names = select_names(args.systems, systems, "system")
    ds_names = select_names(args.datasets, registry, "dataset")
    if args.import_results:
        merge_imported(args.import_results, args.cache_dir)

    fresh: list[dict[str, Any]] = []
    cells = [(s, d) for d in ds_names for s in sys_names]
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("intent bench", total=len(cells))
        for s, d in cells:
            progress.update(task, description=f"{s} x {d} ({mode})")
            t0 = time.perf_counter()
            row = run_cell(
                systems[s],
                registry[d],
                args.datasets_root,
                mode,
                args.cache_dir,
                args.force,
                command,
            )
            fresh.append(row)
            if row.get("error"):
                progress.console.print(f"[red]{s} x {d}: {row['error'].splitlines()[0]}[/red]")
            else:
                progress.console.print(
                    f"{s} x {d}: acc {100 * row['accuracy']:.2f} F1 {100 * row['macro_f1']:.2f} "
                    f"train {row['train_time_s']:.1f}s p50 {row.get('latency_p50_ms', float('nan')):.2f}ms"
                    + (
                        " (cached)"
                        if row.get("from_cache")
                        else f" [{time.perf_counter() - t0:.0f}s]"
                    )
                )
            progress.advance(task)

    if not args.no_report:
        rows = collect_rows(
            {n: systems[n] for n in systems},
            registry,
            args.datasets_root,
            mode,
            args.cache_dir,
            fresh,
        )
        meta = {
            "mode": mode,
            "date": dt.datetime.now().isoformat(timespec="seconds"),
            "command": command,
            "machine": machine_info(),
            "datasets": {n: registry[n].__dict__ for n in registry},
        }
        stem = "intent_quick" if mode == "quick" else "intent"
        paths = write_report(rows, meta, args.results_dir, stem, list(registry))
        console.print("report: " + ", ".join(str(p) for p in paths.values()))
    return 1 if any(r.get("error") and "unavailable" not in r["error"] for r in fresh) else 0


if __name__ == "__main__":
    raise SystemExit(main())
