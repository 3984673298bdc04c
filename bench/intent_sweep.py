"""Sweep product training settings over data sets (a development tool, GPU-friendly).

    python -m bench.intent_sweep --datasets-root ../shared/datasets \
        --dataset banking77_full --dataset mine=train.csv,test.csv[,lowercase] ... \
        --variant NAME='{"epochs": 8, "learning_rate": 1e-4}' ... --out results.json

A data set is a name of bench.intent's registry or a NAME=TRAIN,TEST[,lowercase] spec.

For each data set x variant: accuracy / macro-F1 of the full model (n-gram ensemble at the
weight chosen on validation) and of the encoder alone, training time and device.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

from bench.intent_datasets import BUILTIN, parse_dataset_spec
from intent.calibration import softmax
from intent.trainer import train
from intent.training_args import TrainingArgs


def _scores(y: list[str], p: list[str]) -> dict[str, float]:
    return {
        "accuracy": round(100 * accuracy_score(y, p), 2),
        "macro_f1": round(100 * f1_score(y, p, average="macro"), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--datasets-root", type=Path, default=Path("../shared/datasets"))
    ap.add_argument("--dataset", action="append", required=True)
    ap.add_argument("--variant", action="append", required=True)
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    rows = json.loads(a.out.read_text()) if a.out.exists() else []
    done = {(r["dataset"], r["variant"]) for r in rows}
    for text in a.dataset:
        spec = BUILTIN[text] if text in BUILTIN else parse_dataset_spec(text)
        name = spec.name
        tr, te = spec.load(a.datasets_root)
        for vspec in a.variant:
            vname, vjson = vspec.split("=", 1)
            if (name, vname) in done:
                continue
            args = TrainingArgs.from_dict(json.loads(vjson))
            t0 = time.perf_counter()
            model = train(tr, args, progress=False)
            secs = time.perf_counter() - t0
            texts = [e.text for e in te]
            gold = [e.label for e in te]
            z_nn = model.network_logits(texts, batch_size=256)
            probs = softmax(model.combined_logits(texts, z_nn), model.config.temperature)
            full = [model.labels[i] for i in probs.argmax(1)]
            enc_only = [model.labels[i] for i in z_nn.argmax(1)]
            row = {
                "dataset": name,
                "variant": vname,
                "args": args.to_dict(),
                "train_seconds": round(secs, 1),
                "device": model.device,
                "ngram_weight": model.config.ngram_weight,
                "temperature": model.config.temperature,
                "full": _scores(gold, full),
                "encoder_only": _scores(gold, enc_only),
                "n_train": len(tr),
                "n_test": len(te),
            }
            print(json.dumps(row), flush=True)
            rows.append(row)
            a.out.parent.mkdir(parents=True, exist_ok=True)
            a.out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
