"""The Rasa bot's NLU latency and training time: `python -m bench.rasa_bot` (`make bench-bot`).

1. `rasa train` of the demo bot (rasa_bot/), wall time of `--runs` fresh trainings into
   a scratch directory (the cached model under var/rasa/models is left alone).
2. The bot's NLU through its custom component: Rasa's `POST /model/parse` (what Rasa
   runs on a message without the API's metadata: the component calls the API's
   /v1/intent, then the FallbackClassifier), with the API up, over `--n` demo test
   utterances (data/intents/test.csv), one at a time; the API's own /v1/intent on the
   same texts, to show what the component adds.
3. DIET, served the same way (`rasa run --enable-api`, `POST /model/parse`), with the
   Bitext DIET model of `make bench-intent` (Bitext is where 27 of the demo's 34 intents
   come from); skipped with a note if that cell was never run.

Writes bench/results/rasa_bot.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from bench.intent_systems import latency_summary, latency_texts
from intent.data import load_examples
from rasa_bot.stack import (
    BOT_DIR,
    MODEL_DIR,
    NLU_DATA,
    ROOT,
    Stack,
    bot_inputs_hash,
    free_port,
    rasa_bin,
    rasa_env,
    train_bot,
)

RESULTS = ROOT / "bench" / "results"
DIET_MODEL = ROOT / "bench/cache/intent/work/rasa_diet/bitext__full/models/diet.tar.gz"
DIET_CELL = ROOT / "bench/cache/intent/rasa_diet__bitext__full.json"
TEST_DATA = ROOT / "data" / "intents" / "test.csv"


def time_training(runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            proc = subprocess.run(
                [str(rasa_bin()), "train", "--data", "data", str(NLU_DATA)]
                + ["--domain", "domain.yml", "--config", "config.yml", "--out", tmp]
                + ["--fixed-model-name", "bench"],
                cwd=BOT_DIR,
                env=rasa_env(),
                capture_output=True,
                text=True,
            )
            seconds = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"rasa train failed:\n{(proc.stdout + proc.stderr)[-3000:]}")
        out.append(round(seconds, 2))
    return out


def timed(call: Callable[[str], Any], texts: list[str], warmup: int) -> tuple[list[float], list]:
    for t in texts[:warmup]:
        call(t)
    times, answers = [], []
    for t in texts:
        t0 = time.perf_counter()
        answers.append(call(t))
        times.append((time.perf_counter() - t0) * 1000)
    return times, answers


def parse_client(client: httpx.Client, url: str, token: str | None) -> Callable[[str], Any]:
    params = {"token": token} if token else None

    def parse(text: str) -> Any:
        r = client.post(f"{url}/model/parse", json={"text": text}, params=params)
        r.raise_for_status()
        return r.json()

    return parse


def serve_diet(port: int, log: Path) -> subprocess.Popen[bytes]:
    cmd = [str(rasa_bin()), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port)]
    cmd += ["--model", str(DIET_MODEL)]
    with log.open("wb") as fh:
        return subprocess.Popen(
            cmd, cwd=BOT_DIR, env=rasa_env(), stdout=fh, stderr=subprocess.STDOUT
        )


def wait(url: str, proc: subprocess.Popen[bytes], timeout_s: float = 300) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the DIET server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {timeout_s} s")


def run(n: int, warmup: int, train_runs: int) -> dict[str, Any]:
    test = load_examples(TEST_DATA)
    texts = latency_texts(test, n)
    labels = {e.text: e.label for e in test}
    result: dict[str, Any] = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "command": "python -m bench.rasa_bot " + " ".join(sys.argv[1:]),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs",
        "bot_inputs": bot_inputs_hash(),
        "n": len(texts),
        "warmup": warmup,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"rasa train x{train_runs} ...", flush=True)
    result["rasa_train_s"] = time_training(train_runs)
    model = train_bot(model_dir=MODEL_DIR)

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "history.db"
        subprocess.run(
            [sys.executable, "-m", "retrieval.demo.generate", "--customers", "20"]
            + ["--out", str(db)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        env = {
            "AGENT_ASSIST_HISTORY_URL": f"sqlite:///{db}",
            "AGENT_ASSIST_LOAD_RETRIEVAL": "false",
        }
        env["AGENT_ASSIST_RATE_LIMIT_PER_MINUTE"] = "0"
        # no LRU of recent texts: every call below classifies for real
        env["AGENT_ASSIST_INFERENCE_CACHE_SIZE"] = "0"
        with (
            (Path(tmp) / "stack.log").open("w") as log,
            Stack(free_port(), free_port(), free_port(), env=env, log=log) as stack,
            httpx.Client(timeout=30) as client,
        ):
            stack.start(model)
            print("the bot's NLU (product component) ...", flush=True)
            times, answers = timed(parse_client(client, stack.rasa_url, stack.token), texts, warmup)
            right = sum(
                a["intent"]["name"] == labels[t] for t, a in zip(texts, answers, strict=True)
            )
            fallback = sum(a["intent"]["name"] == "nlu_fallback" for a in answers)
            result["bot_component"] = latency_summary(times, warmup) | {
                "accuracy": round(right / len(texts), 4),
                "nlu_fallback_rate": round(fallback / len(texts), 4),
            }

            def api_intent(text: str) -> Any:
                return client.post(f"{stack.api_url}/v1/intent", json={"text": text}).json()

            times, _ = timed(api_intent, texts, warmup)
            result["api_intent"] = latency_summary(times, warmup)

        if DIET_MODEL.exists():
            print("DIET ...", flush=True)
            port = free_port()
            proc = serve_diet(port, Path(tmp) / "diet.log")
            try:
                wait(f"http://127.0.0.1:{port}/status", proc)
                with httpx.Client(timeout=30) as client:
                    times, _ = timed(
                        parse_client(client, f"http://127.0.0.1:{port}", None), texts, warmup
                    )
                cell = json.loads(DIET_CELL.read_text())["row"] if DIET_CELL.exists() else {}
                result["diet"] = latency_summary(times, warmup) | {
                    "model": str(DIET_MODEL.relative_to(ROOT)),
                    "trained_on": "Bitext training split (27 intents), 40 epochs",
                    "bitext_accuracy": cell.get("accuracy"),
                    "train_time_s": cell.get("train_time_s"),
                }
            finally:
                proc.terminate()
                proc.wait(30)
        else:
            result["diet"] = {"skipped": f"{DIET_MODEL} missing: run `make bench-intent` first"}
    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return result


def markdown(r: dict[str, Any]) -> str:
    def row(name: str, d: dict[str, Any], note: str) -> str:
        if "skipped" in d:
            return f"| {name} | - | - | {d['skipped']} |"
        return f"| {name} | {d['latency_p50_ms']:.1f} | {d['latency_p99_ms']:.1f} | {note} |"

    bot = r["bot_component"]
    diet = r["diet"]
    train = r["rasa_train_s"]
    lines = [
        "# The Rasa bot: NLU latency and training time",
        "",
        f"`{r['command']}` on {r['date']} ({r['machine']}); {r['n']} demo test utterances "
        f"(data/intents/test.csv), one at a time after {r['warmup']} warm-up calls; the "
        "API's LRU of recent texts is off. Load average (1, 5, 15 min) "
        f"{r['load_average_at_start']} at the start, {r['load_average_at_end']} at the end: "
        "on a shared 2-core machine the figures move with it.",
        "",
        "| NLU | p50 ms | p99 ms | note |",
        "|---|---|---|---|",
        row(
            "bot: product component (Rasa `/model/parse`)",
            bot,
            f"accuracy {bot['accuracy']:.2%} on these texts, nlu_fallback {bot['nlu_fallback_rate']:.1%}",
        ),
        row("the API's `/v1/intent` alone", r["api_intent"], "what the component calls"),
        row(
            "DIET (Rasa `/model/parse`)",
            diet,
            f"trained on Bitext (27 intents; {diet.get('bitext_accuracy', 0) or 0:.2%} on its "
            "test split), not on the demo's 34",
        ),
        "",
        f"`rasa train` of the demo bot: {', '.join(f'{s:.1f}' for s in train)} s "
        f"(goal <= 60 s on 2 cores; no NLU training, RulePolicy + MemoizationPolicy).",
        "",
        "In a conversation the API sends its analysis of the turn in the message metadata, so",
        "the component makes no call at all there: `/model/parse` (no metadata) is the worst",
        "case, a second HTTP hop to the classifier.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.rasa_bot", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--n", type=int, default=200, help="utterances timed")
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--train-runs", type=int, default=2)
    ap.add_argument("--out", type=Path, default=RESULTS)
    a = ap.parse_args(argv)
    result = run(a.n, a.warmup, a.train_runs)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "rasa_bot.json").write_text(json.dumps(result, indent=1) + "\n")
    (a.out / "rasa_bot.md").write_text(markdown(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
