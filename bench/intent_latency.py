"""CPU latency of the product's served model for rows trained elsewhere (e.g. on a GPU).

Inference cost does not depend on the weights, only on the architecture, the label count
and the n-gram vocabulary: this trains the same architecture on each data set's full
training split with the encoder frozen (`epochs=0`, cheap on a CPU), then measures
batch-of-1 latency on 2 threads exactly as `bench.intent` does, and writes the figures into
an import file for `python -m bench.intent --import-results FILE`.

    python -m bench.intent_latency --datasets-root ../shared/datasets \
        --rows bench/results/sweeps/product_gpu_rows.json
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

from bench.intent_datasets import BUILTIN
from bench.intent_systems import latency_texts, measure_latency, torch_threads
from intent.trainer import train
from intent.training_args import TrainingArgs


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--datasets-root", type=Path, default=Path("../shared/datasets"))
    ap.add_argument("--rows", type=Path, required=True, help="import rows to add latency to")
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    a = ap.parse_args()
    rows = json.loads(a.rows.read_text())
    torch_threads(2)
    for row in rows:
        spec = BUILTIN[row["dataset"]]
        train_set, test = spec.load(a.datasets_root)
        model = train(train_set, TrainingArgs(epochs=0, min_steps=0, device="cpu"), progress=False)
        texts = latency_texts(test, a.n + a.warmup)
        row |= measure_latency(lambda t, m=model: m.predict(t), texts, a.warmup)
        row["latency_note"] = (
            f"measured on {platform.processor() or platform.machine()} "
            "CPU, 2 threads, same architecture (encoder weights not "
            "fine-tuned: inference cost is identical)"
        )
        print(
            row["dataset"],
            round(row["latency_p50_ms"], 2),
            round(row["latency_p99_ms"], 2),
            flush=True,
        )
        a.rows.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
