"""Single-utterance latency of a trained Rasa NLU model. Runs INSIDE .venv-rasa.

    .venv-rasa/bin/python bench/rasa_diet/latency.py --model MODEL.tar.gz --texts TEXTS.json \
        [--warmup 20] [--threads 2]

Loads the model with rasa's Agent, parses `--warmup` utterances, then times
`Agent.parse_message` (tokenizer, featurizers and DIET: what a Rasa server does per
message) on every text of TEXTS.json (a JSON list of strings), one at a time. Prints one
JSON object on the last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--texts", required=True)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()

    threads = str(a.threads)
    for var in (
        "OMP_NUM_THREADS",
        "TF_INTRA_OP_PARALLELISM_THREADS",
        "TF_INTER_OP_PARALLELISM_THREADS",
    ):
        os.environ[var] = threads
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(a.threads)
    tf.config.threading.set_inter_op_parallelism_threads(a.threads)

    import asyncio

    from rasa.core.agent import Agent

    with open(a.texts, encoding="utf-8") as fh:
        texts = json.load(fh)

    t0 = time.perf_counter()
    agent = Agent.load(a.model)
    load_s = time.perf_counter() - t0

    async def timed() -> list[float]:
        for t in texts[: a.warmup] or texts[:1]:
            await agent.parse_message(t)
        out = []
        for t in texts:
            s = time.perf_counter()
            await agent.parse_message(t)
            out.append((time.perf_counter() - s) * 1000.0)
        return out

    times = asyncio.run(timed())
    import rasa

    print(
        json.dumps(
            {
                "times_ms": times,
                "warmup": a.warmup,
                "threads": a.threads,
                "model_load_s": load_s,
                "rasa_version": rasa.__version__,
                "tensorflow_version": tf.__version__,
            }
        )
    )
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
