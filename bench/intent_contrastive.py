"""Does supervised contrastive pre-fine-tuning help the few-shot classifier? (issue #13,
item 3). `python -m bench.intent_contrastive [--datasets banking77_10shot] [--steps 200]`

For each data set (the intent benchmark's registry, `bench/intent_datasets.py`) and each
configuration (`--configs lr:temperature,...`), in one process:

1. the product's base encoder (packaged all-MiniLM-L6-v2), frozen, with a logistic
   regression head on its sentence vectors (C = 10, as `intent.heads.linear_head`): the
   baseline, which is what the product's recipe trains below 1,500 turns;
2. the same encoder after `--steps` steps of a supervised contrastive loss (SupCon,
   Khosla et al. 2020) over batches of `--classes` intents x `--per-class` turns (the
   training turns only; AdamW, warm-up then linear decay), then the same head.

Accuracy is on the data set's official test split. Wall time and the steps' seconds are
reported: on 2 CPU cores a step of 64 turns costs about 1.8 s, so 200 steps (about 17
passes over BANKING77's 770 10-shot turns) take 6 minutes, six times the product's whole
training. Writes bench/results/intent_contrastive.{md,json}."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

from bench.intent_datasets import BUILTIN  # noqa: E402
from intent.contrastive import contrastive_tune  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def _head_accuracy(embed, train_texts, train_y, test_texts, test_y, n_classes) -> float:
    from intent.heads import linear_head

    w, b = linear_head(embed(train_texts), train_y, n_classes, 10.0)
    return float(np.mean((embed(test_texts) @ w.T + b).argmax(1) == test_y))


def run(dataset: str, root: Path, lr: float, temperature: float, args: argparse.Namespace):
    import torch

    from intent.trainer import _embed, _load_encoder
    from intent.training_args import TrainingArgs

    torch.manual_seed(args.seed)
    train, test = BUILTIN[dataset].load(root)
    labels = sorted({e.label for e in train})
    index = {label: i for i, label in enumerate(labels)}
    tx, ty = [e.text for e in train], np.array([index[e.label] for e in train])
    known = [e for e in test if e.label in index]
    sx, sy = [e.text for e in known], np.array([index[e.label] for e in known])
    device = args.device
    tokenizer, network = _load_encoder(TrainingArgs(), device)

    def embed(texts):
        return _embed(network, tokenizer, texts, 64, device, "embed", False)

    t0 = time.perf_counter()
    frozen = _head_accuracy(embed, tx, ty, sx, sy, len(labels))
    frozen_s = time.perf_counter() - t0
    done = contrastive_tune(
        network, tokenizer, tx, ty, steps=args.steps, learning_rate=lr,
        temperature=temperature, max_length=64, device=device, seed=args.seed,
        classes=args.classes, per_class=args.per_class, progress=True,
    )  # fmt: skip
    network.eval()
    tuned = _head_accuracy(embed, tx, ty, sx, sy, len(labels))
    return {
        "dataset": dataset,
        "lr": lr,
        "temperature": temperature,
        "steps": args.steps,
        "batch": f"{args.classes} intents x {args.per_class} turns",
        "device": device,
        "frozen_accuracy": round(frozen * 100, 2),
        "contrastive_accuracy": round(tuned * 100, 2),
        "gain_points": round((tuned - frozen) * 100, 2),
        "contrastive_s": done.get("seconds", 0.0),
        "frozen_head_s": round(frozen_s, 1),
        "first_last_loss": [done.get("loss_first"), done.get("loss_last")],
    }


def write(rows: list[dict[str, Any]], command: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "written": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "machine": f"{platform.machine()}, {os.cpu_count()} logical cores",
    }
    (RESULTS / "intent_contrastive.json").write_text(
        json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n", encoding="utf-8"
    )
    lines = [
        "# Supervised contrastive pre-fine-tuning before the head (few-shot)",
        "",
        f"- written: {meta['written']} by `{command}`",
        f"- machine: {meta['machine']}",
        "- frozen: the packaged MiniLM + logistic regression; contrastive: the same after "
        "SupCon steps on the training turns, then the same head (bench/intent_contrastive.py)",
        "",
        "| data set | lr | temperature | steps (batch) | device | frozen % | contrastive % "
        "| gain (points) | contrastive s | loss first -> last |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['dataset']} | {r['lr']:g} | {r['temperature']:g} | {r['steps']} "
            f"({r['batch']}) | {r['device']} | {r['frozen_accuracy']:.2f} | "
            f"{r['contrastive_accuracy']:.2f} | {r['gain_points']:+.2f} | "
            f"{r['contrastive_s']:.0f} | {r['first_last_loss'][0]} -> "
            f"{r['first_last_loss'][1]} |"
        )
    lines += [
        "",
        "Goal (#13): BANKING77 10-shot >= 89.8, HWU64 10-shot >= 87.5. Not in the "
        "product's recipe: a trial with the whole recipe on HWU64 10-shot (200 steps "
        "before the heads) lifted closed-set accuracy from 82.90 to 86.25 % but the "
        "accuracy at the operating point fell to 61.7 %, because the cross-fitted turns "
        "that choose the threshold had been seen by the tuned encoder and the "
        "background filter dropped every background turn (intent/contrastive.py says "
        "what would make it sound). BANKING77's seconds were measured on a machine busy "
        "with other tests.",
    ]
    path = RESULTS / "intent_contrastive.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.intent_contrastive")
    ap.add_argument("--datasets-root", type=Path, default=Path("../shared/datasets"))
    ap.add_argument("--datasets", default="banking77_10shot")
    ap.add_argument("--configs", default="2e-5:0.1,5e-5:0.05", help="lr:temperature,...")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--classes", type=int, default=16, help="intents per batch")
    ap.add_argument("--per-class", type=int, default=4, help="turns per intent in a batch")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    import torch

    if args.device == "cpu":
        torch.set_num_threads(min(2, os.cpu_count() or 2))
    rows = []
    for dataset in [d for d in args.datasets.split(",") if d]:
        if dataset not in BUILTIN:
            raise SystemExit(f"unknown data set {dataset!r}; known: {', '.join(BUILTIN)}")
        for config in args.configs.split(","):
            lr, temperature = (float(x) for x in config.split(":"))
            rows.append(run(dataset, args.datasets_root, lr, temperature, args))
            print(json.dumps(rows[-1]), flush=True)
    given = sys.argv[1:] if argv is None else argv
    command = "python -m bench.intent_contrastive " + " ".join(given)
    print(f"wrote {write(rows, command.strip())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
