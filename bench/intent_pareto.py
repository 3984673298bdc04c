"""What one customer turn's analysis costs, by runtime: accuracy vs p50/p99 vs memory.

The whole analysis of a turn as the service runs it (`TurnAnalyzer.analyze`: intent with
its out-of-scope decision, entities, sentiment; micro-batching wrapper, result cache off,
one ONNX thread, batch of 1), for each runtime a user can choose:

- `pytorch`: the model's PyTorch network (`AGENT_ASSIST_ONNX=false`);
- `onnx`: the float ONNX graph, verified against PyTorch (`AGENT_ASSIST_ONNX_INT8=false`);
- `onnx-int8`: the default, the int8 graph where it decides the model's check texts like
  the float one (intent/int8.py), else the float graph (its `serving` column says which);
- `onnx-int8-unchecked`: the int8 graph whatever the check says
  (`AGENT_ASSIST_ONNX_INT8_MIN_AGREEMENT=0`), to show what the check protects;
- `ngram`: the model's TF-IDF n-gram partner alone, the cheapest alternative (closed-set
  intent only: no calibrated out-of-scope decision).

Each runtime is loaded in its own process (its RSS is the process's after loading), then
scored on every test file (closed-set accuracy, accuracy at the model's operating point,
ECE) and timed on `--n` test turns. Models: the demo model (`var/models/intent`, its
`test.csv` and the blind realistic set) and, with the shared datasets, BANKING77 full
trained here with the product's recipe and a frozen encoder (`--train-args`; a model
trained elsewhere, e.g. fine-tuned on a GPU, with `--model NAME=DIR,TEST`). With `--http`
the demo model is also served by `python -m api` and timed through `POST /v1/intent`.

    python -m bench.intent_pareto [--datasets-root ../shared/datasets] [--http]
    python -m bench.intent_pareto --quick        # the demo model only, 200 turns

Writes bench/results/intent_pareto{,_quick}.{md,json,png}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from bench.intent_systems import latency_summary, latency_texts

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CACHE = ROOT / "bench" / "cache" / "pareto"
SYSTEMS = ("pytorch", "onnx", "onnx-int8", "onnx-int8-unchecked", "ngram")


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure_one(system: str, model_dir: Path, tests: list[Path], n: int, warmup: int) -> dict:
    """Load `model_dir` the way `system` runs it, then score and time it (runs in a process
    of its own: `python -m bench.intent_pareto --one ...`)."""
    from intent.calibration import expected_calibration_error
    from intent.data import load_examples
    from intent.entities import EntityExtractor
    from intent.evaluate import evaluate
    from intent.ngram import NgramModel
    from intent.pipeline import TurnAnalyzer
    from intent.runtime import Runtime, load_classifier, serving
    from intent.sentiment import SentimentAnalyzer

    started = time.perf_counter()
    cache = ROOT / "var" / "cache" / "onnx"
    row: dict[str, Any] = {"system": system, "model": str(model_dir)}
    if system == "ngram":
        config = json.loads((model_dir / "config.json").read_text())
        labels = config["labels"]
        ngram = NgramModel.load(model_dir)
        ngram.logits(["warm up"])

        class NgramOnly:
            def predict(self, texts: list[str]) -> list[Any]:
                from intent.types import IntentPrediction

                z = ngram.logits(texts)
                p = np.exp(z - z.max(1, keepdims=True))
                p /= p.sum(1, keepdims=True)
                return [
                    IntentPrediction(t, labels[int(i)], float(p[k, i]), False, [])
                    for k, (t, i) in enumerate(zip(texts, p.argmax(1), strict=True))
                ]

        classifier: Any = NgramOnly()
        row["serving"] = "ngram"
    else:
        unchecked = system == "onnx-int8-unchecked"
        checked = Runtime()
        rt = Runtime(
            onnx=system != "pytorch",
            int8=system.startswith("onnx-int8"),
            int8_min_agreement=0.0 if unchecked else checked.int8_min_agreement,
            int8_max_confidence_shift=1.0 if unchecked else checked.int8_max_confidence_shift,
            cache_dir=cache,
            cache_size=0,
        )
        classifier = load_classifier(model_dir, rt)
        row["serving"] = serving(classifier)["en"]
    analyzer = TurnAnalyzer(classifier, EntityExtractor.default(), SentimentAnalyzer())
    analyzer.analyze(["warm up"])
    row["load_s"] = round(time.perf_counter() - started, 1)
    row["rss_mb"] = round(_rss_mb(), 1)
    # the bare English IntentModel behind the batcher (and the language router)
    english = getattr(classifier, "models", {}).get("en", classifier)
    model = getattr(english, "classifier", None)
    for test in tests:
        examples = load_examples(test)
        name = test.stem
        if model is not None:
            m, _ = evaluate(model, examples)
            row[f"{name}:accuracy"] = m["accuracy"]
            row[f"{name}:accuracy_at_operating_point"] = m["accuracy_at_operating_point"]
            row[f"{name}:ece"] = m["ece"]
        else:
            preds = classifier.predict([e.text for e in examples])
            correct = np.array([p.intent == e.label for p, e in zip(preds, examples, strict=True)])
            conf = np.array([p.confidence for p in preds])
            row[f"{name}:accuracy"] = float(correct.mean())
            row[f"{name}:ece"] = expected_calibration_error(conf, correct)
    texts = latency_texts(load_examples(tests[0]), n + warmup)
    times = []
    for i, text in enumerate(texts):
        unique = f"{text} {i}"  # never a cached result
        t0 = time.perf_counter()
        analyzer.analyze([unique])
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1000)
    row |= latency_summary(times, 0)
    analyzer.close()
    return row


def run_one(system: str, model_dir: Path, tests: list[Path], n: int, warmup: int) -> dict | None:
    """`measure_one` in a process of its own; None for `ngram` when the model has no
    n-gram partner (its operating point chose weight 0)."""
    if system == "ngram" and not (model_dir / "ngram.json").is_file():
        return None
    cmd = [sys.executable, "-m", "bench.intent_pareto", "--one", system, "--model-dir",
           str(model_dir), "--n", str(n), "--warmup", str(warmup),
           *[a for t in tests for a in ("--test", str(t))]]  # fmt: skip
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{system} on {model_dir} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def train_frozen(name: str, train: Path, train_args: str) -> Path:
    """The product's recipe on `train` with the given TrainingArgs (JSON), cached by both."""
    import hashlib

    from intent.data import load_examples
    from intent.trainer import train as fit
    from intent.training_args import TrainingArgs

    key = hashlib.sha256(f"{train.resolve()}|{train_args}".encode()).hexdigest()[:12]
    out = CACHE / f"{name}-{key}"
    if (out / "config.json").is_file():
        return out
    print(f"training {name} ({train_args}) into {out} ...", flush=True)
    model = fit(load_examples(train), TrainingArgs(**json.loads(train_args)), progress=True)
    return model.save(out)


def http_latency(n: int, int8: bool) -> dict[str, Any]:
    """p50/p99 of `POST /v1/intent` (one new turn a call) against `python -m api`."""
    import threading
    from http.server import ThreadingHTTPServer

    import httpx

    from bench.api import Databases, _StubRasa, seed, start_server, wait_ready
    from rasa_bot.stack import free_port

    work = ROOT / "var" / "bench-pareto"
    work.mkdir(parents=True, exist_ok=True)
    rasa = ThreadingHTTPServer(("127.0.0.1", free_port()), _StubRasa)
    threading.Thread(target=rasa.serve_forever, daemon=True).start()
    dbs = Databases(work, postgres=False)
    name = "int8" if int8 else "float"
    url = dbs.fresh(name)
    extra = {"AGENT_ASSIST_ONNX_INT8": str(int8).lower(), "AGENT_ASSIST_INFERENCE_CACHE_SIZE": "0"}
    seed(url, ROOT, extra)
    server = start_server(name, ROOT, url, work, f"http://127.0.0.1:{rasa.server_address[1]}",
                          1, extra)  # fmt: skip
    try:
        wait_ready(server, 1)
        headers = {"Authorization": "Bearer demo-assist-key"}
        from intent.data import load_examples

        texts = latency_texts(load_examples(ROOT / "data/intents/realistic_test_2.csv"), n + 20)
        times = []
        with httpx.Client(base_url=server.base, headers=headers, timeout=30) as client:
            runtime = client.get("/v1/intent/model").json().get("runtime", {}).get("en")
            for i, text in enumerate(texts):
                t0 = time.perf_counter()
                r = client.post("/v1/intent", json={"text": f"{text} {i}"})
                elapsed = (time.perf_counter() - t0) * 1000
                r.raise_for_status()
                if i >= 20:
                    times.append(elapsed)
        return {"system": "onnx-int8" if int8 else "onnx", "serving": runtime,
                **latency_summary(times, 0)}  # fmt: skip
    finally:
        server.popen.terminate()
        server.popen.wait(30)
        rasa.shutdown()
        dbs.close()


def write(models: dict[str, list[dict]], http: list[dict], name: str, command: str) -> Path:
    lines = [
        "# What one turn's analysis costs: accuracy vs latency vs memory",
        "",
        f"- written: {datetime.now(UTC).isoformat(timespec='seconds')} by `{command}`",
        f"- machine: {platform.processor() or platform.machine()}, {os.cpu_count()} logical "
        f"cores; Python {platform.python_version()}",
        "- latency: the whole analysis of one new turn (`TurnAnalyzer.analyze`: intent + "
        "out-of-scope + entities + sentiment), batch of 1, result cache off, one ONNX thread; "
        "RSS: the process after loading that runtime. Goal (#13): p50 <= 5 ms, accuracy within "
        "0.5 point of the float model.",
        "",
    ]
    for model, rows in models.items():
        tests = sorted({k.split(":")[0] for r in rows for k in r if ":" in k})
        lines += [f"## {model}", ""]
        head = ["runtime", "serving", "p50 ms", "p99 ms", "RSS MB", "load s"]
        for t in tests:
            head += [f"{t} accuracy", f"{t} at operating point", f"{t} ECE"]
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in rows:
            cells = [r["system"], r["serving"], f"{r['latency_p50_ms']:.2f}",
                     f"{r['latency_p99_ms']:.2f}", f"{r['rss_mb']:.0f}", f"{r['load_s']:.1f}"]  # fmt: skip
            for t in tests:
                for k, fmt in (("accuracy", "{:.2%}"), ("accuracy_at_operating_point", "{:.2%}"),
                               ("ece", "{:.4f}")):  # fmt: skip
                    v = r.get(f"{t}:{k}")
                    cells.append(fmt.format(v) if v is not None else "-")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    if http:
        lines += ["## Through HTTP: `POST /v1/intent`, the demo model", "",
                  "| runtime | serving | p50 ms | p99 ms |", "|---|---|---|---|"]  # fmt: skip
        for r in http:
            lines.append(f"| {r['system']} | {r['serving']} | {r['latency_p50_ms']:.2f} | "
                         f"{r['latency_p99_ms']:.2f} |")  # fmt: skip
        lines.append("")
    lines += [f"![accuracy against p50 latency]({name}.png)", ""]
    RESULTS.mkdir(parents=True, exist_ok=True)
    md = RESULTS / f"{name}.md"
    md.write_text("\n".join(lines), encoding="utf-8")
    (RESULTS / f"{name}.json").write_text(
        json.dumps({"command": command, "models": models, "http": http}, indent=1)
    )
    plot(models, RESULTS / f"{name}.png")
    return md


def plot(models: dict[str, list[dict]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(models), figsize=(5.5 * len(models), 4.2), squeeze=False)
    for ax, (model, rows) in zip(axes[0], models.items(), strict=True):
        test = next(k for k in rows[0] if k.endswith(":accuracy"))
        for i, r in enumerate(rows):
            y = 100 * r[test]
            label = f"{r['system']} ({r['serving']}), {r['rss_mb']:.0f} MB"
            ax.plot(r["latency_p50_ms"], y, "o", color=f"C{i}", label=label)
            ax.plot(r["latency_p99_ms"], y, "o", mfc="none", color=f"C{i}")
            ax.plot([r["latency_p50_ms"], r["latency_p99_ms"]], [y, y], color=f"C{i}", lw=1)
        ax.axvline(5.0, color="grey", linestyle="--", linewidth=1)
        ax.set_xscale("log")
        ax.set_xlabel("ms per turn, log scale (filled: p50, open: p99); dashed: 5 ms goal")
        ax.set_ylabel(f"{test.split(':')[0]} accuracy, %")
        ax.set_title(model, fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.intent_pareto", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    ap.add_argument("--datasets-root", type=Path, default=ROOT.parent / "shared" / "datasets")
    ap.add_argument("--model", action="append", default=[],
                    help="NAME=DIR,TEST[,TEST...]: a trained model and its test files")  # fmt: skip
    ap.add_argument("--train-args", default='{"epochs": 0}',
                    help="TrainingArgs (JSON) for the BANKING77 model trained here")  # fmt: skip
    ap.add_argument("--systems", default=",".join(SYSTEMS))
    ap.add_argument("--n", type=int, default=500, help="timed turns per runtime")
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--http", action="store_true", help="also time POST /v1/intent")
    ap.add_argument("--quick", action="store_true", help="the demo model only, 200 turns")
    ap.add_argument("--out")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--test", type=Path, action="append", default=[], help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.one:
        print(json.dumps(measure_one(a.one, a.model_dir, a.test, a.n, a.warmup)))
        return 0
    n = 200 if a.quick else a.n
    intents = ROOT / "data" / "intents"
    specs: dict[str, tuple[Path, list[Path]]] = {
        "demo model (var/models/intent)": (
            ROOT / "var" / "models" / "intent",
            [intents / "test.csv", intents / "realistic_test_2.csv"],
        )
    }
    b77 = a.datasets_root / "banking77"
    if not a.quick and (b77 / "train.csv").is_file():
        specs[f"BANKING77 full, product recipe {a.train_args}"] = (
            train_frozen("banking77_full", b77 / "train.csv", a.train_args),
            [b77 / "test.csv"],
        )
    for spec in a.model:
        label, rest = spec.split("=", 1)
        directory, *tests = rest.split(",")
        specs[label] = (Path(directory), [Path(t) for t in tests])
    if not (specs["demo model (var/models/intent)"][0] / "config.json").is_file():
        raise SystemExit("no demo model: run `make model` first")
    systems = [s for s in a.systems.split(",") if s]
    models: dict[str, list[dict]] = {}
    for label, (directory, tests) in specs.items():
        models[label] = []
        for system in systems:
            print(f"{label}: {system} ...", flush=True)
            row = run_one(system, directory, tests, n, a.warmup)
            if row is None:
                print(f"{label}: no n-gram partner, {system} skipped", flush=True)
                continue
            models[label].append(row)
            print(json.dumps(row), flush=True)
    http = [http_latency(n, int8) for int8 in (False, True)] if a.http else []
    command = " ".join(["python -m bench.intent_pareto", *(sys.argv[1:] if argv is None else argv)])
    md = write(models, http, a.out or ("intent_pareto_quick" if a.quick else "intent_pareto"),
               command)  # fmt: skip
    print(md.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
