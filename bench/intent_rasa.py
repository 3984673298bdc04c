"""Rasa DIET in the intent benchmark, run the way a Rasa user runs it.

The train and test splits are written as Rasa NLU YAML into a work dir; `rasa train nlu`
and `rasa test nlu` run in .venv-rasa as (niced) subprocesses; accuracy and macro-F1 come
from rasa's own `intent_report.json`; latency comes from bench/rasa_diet/latency.py
(Agent.parse_message, batch of 1, 2 threads) run in .venv-rasa.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from bench.intent_systems import (
    MODES,
    PROJECT_ROOT,
    SystemUnavailable,
    latency_summary,
    latency_texts,
)
from intent.data import Example

RASA_VENV = PROJECT_ROOT / ".venv-rasa"
DIET_DIR = Path(__file__).resolve().parent / "rasa_diet"
CONFIG = DIET_DIR / "config.yml"
LATENCY_SCRIPT = DIET_DIR / "latency.py"
EPOCHS = {"full": 40, "quick": 5}
THREADS = 2


def write_rasa_nlu(examples: Sequence[Example], path: Path) -> None:
    """Rasa NLU YAML (version 3.1), one `intent:` block per label, texts on one line each."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for e in examples:
        by_label[e.label].append(" ".join(e.text.split()))
    lines = ['version: "3.1"', "nlu:"]
    for label in sorted(by_label):
        lines.append(f"- intent: {json.dumps(label)}")
        lines.append("  examples: |")
        lines.extend(f"    - {t}" for t in by_label[label])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def rasa_config(epochs: int) -> dict[str, Any]:
    cfg = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    for comp in cfg["pipeline"]:
        if comp["name"] == "DIETClassifier":
            comp["epochs"] = epochs
    return cfg


def parse_intent_report(path: Path) -> dict[str, float]:
    """accuracy and macro-F1 from rasa's `intent_report.json` (sklearn classification_report)."""
    report = json.loads(path.read_text(encoding="utf-8"))
    return {
        "accuracy": float(report["accuracy"]),
        "macro_f1": float(report["macro avg"]["f1-score"]),
        "weighted_f1": float(report["weighted avg"]["f1-score"]),
    }


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "OMP_NUM_THREADS": str(THREADS),
            "TF_INTRA_OP_PARALLELISM_THREADS": str(THREADS),
            "TF_INTER_OP_PARALLELISM_THREADS": str(THREADS),
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_TELEMETRY_ENABLED": "false",
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "PYTHONWARNINGS": "ignore",
        }
    )
    env.pop("VIRTUAL_ENV", None)
    return env


def _children_cpu() -> float:
    """User + system CPU seconds of finished child processes (robust on a shared machine)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _run(cmd: list[str], workdir: Path, log: Path, timeout: float | None = None) -> None:
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.run(
            cmd, cwd=workdir, env=rasa_env(), stdout=fh, stderr=subprocess.STDOUT, timeout=timeout
        )
    if proc.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(cmd[:4])} ... exited {proc.returncode}; log {log}:\n{tail}")


class RasaDiet:
    name = "rasa_diet"

    def config(self, mode: str) -> dict[str, Any]:
        return {
            "rasa_config": rasa_config(EPOCHS[mode]),
            "latency_script": hashlib.sha256(LATENCY_SCRIPT.read_bytes()).hexdigest()[:16],
            "requirements": (PROJECT_ROOT / "rasa_bot" / "requirements.txt").read_text().strip(),
            "threads": THREADS,
            "latency": MODES[mode],
        }

    def run(
        self, train: list[Example], test: list[Example], mode: str, workdir: Path
    ) -> dict[str, Any]:
        rasa = RASA_VENV / "bin" / "rasa"
        python = RASA_VENV / "bin" / "python"
        if not rasa.exists():
            raise SystemUnavailable(f"{rasa} not found: run `make install-rasa` first")
        workdir.mkdir(parents=True, exist_ok=True)
        write_rasa_nlu(train, workdir / "train.yml")
        write_rasa_nlu(test, workdir / "test.yml")
        (workdir / "config.yml").write_text(
            yaml.safe_dump(rasa_config(EPOCHS[mode]), sort_keys=False)
        )
        # run rasa at niceness 10 (absolute): under an already-niced bench run, do not stack
        nice = ["nice", "-n", str(max(0, 10 - os.nice(0)))]

        t0, c0 = time.perf_counter(), _children_cpu()
        _run(
            [
                *nice,
                str(rasa),
                "train",
                "nlu",
                "--nlu",
                "train.yml",
                "--config",
                "config.yml",
                "--out",
                "models",
                "--fixed-model-name",
                "diet",
            ],
            workdir,
            workdir / "train.log",
        )
        train_time, train_cpu = time.perf_counter() - t0, _children_cpu() - c0
        model = workdir / "models" / "diet.tar.gz"

        t0 = time.perf_counter()
        _run(
            [
                *nice,
                str(rasa),
                "test",
                "nlu",
                "--nlu",
                "test.yml",
                "--model",
                str(model),
                "--out",
                "results",
                "--no-plot",
            ],
            workdir,
            workdir / "test.log",
        )
        test_time = time.perf_counter() - t0
        metrics = parse_intent_report(workdir / "results" / "intent_report.json")

        texts = latency_texts(test, MODES[mode]["latency_n"])
        (workdir / "latency_texts.json").write_text(json.dumps(texts), encoding="utf-8")
        warmup = MODES[mode]["warmup"]
        proc = subprocess.run(
            [
                str(python),
                str(LATENCY_SCRIPT),
                "--model",
                str(model),
                "--texts",
                "latency_texts.json",
                "--warmup",
                str(warmup),
                "--threads",
                str(THREADS),
            ],
            cwd=workdir,
            env=rasa_env(),
            capture_output=True,
            text=True,
        )
        (workdir / "latency.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
        if proc.returncode != 0:
            raise RuntimeError(f"latency script exited {proc.returncode}:\n{proc.stderr[-3000:]}")
        lat = json.loads(proc.stdout.strip().splitlines()[-1])
        return {
            **metrics,
            "train_time_s": train_time,
            "train_cpu_s": train_cpu,
            "test_time_s": test_time,
            "train_device": "cpu",
            "model_load_s": lat["model_load_s"],
            "rasa_version": lat["rasa_version"],
            "tensorflow_version": lat["tensorflow_version"],
            "workdir": str(workdir),
            **latency_summary(lat["times_ms"], warmup),
        }
