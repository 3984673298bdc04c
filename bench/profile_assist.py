"""Where an assist call's CPU goes (issue #14). Two steps, the first under a sampling
profiler that sees every thread (py-spy: `pip install py-spy` in any virtualenv; it is
not a dependency of the product):

    py-spy record -r 200 -f raw -o var/profile_assist.txt -- \\
        .venv/bin/python -m bench.profile_assist --calls 400
    .venv/bin/python -m bench.profile_assist --report var/profile_assist.txt

The first serves `--calls` `POST /v1/assist` calls in-process (FastAPI's TestClient, the
demo model and history of `make run` on a copy of var/history.db, rate limit off, every
call a new text so no cache answers). The second reads py-spy's collapsed stacks, keeps
the samples taken inside the call (the route, the analyzer, the assist builder, their
worker threads; start-up and idle waits left out) and prints the share of them that each
part of the call holds. Parts overlap where one calls the other (the context is read
through the ORM), so the shares do not add up to 100 %."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# a sample is in the call when its stack holds one of these frames' files
IN_CALL = (
    "routes/assist.py",
    "assist_payload.py",
    "model_reload.py",
    "api/deps.py",
    "intent/batching.py",
    "retrieval/assist.py",
)
START_UP = ("<module>", "warm_up", "lifespan", "create_app")
# the parts of a call, each found by a frame (function or module) in the sample's stack
PARTS = {
    "ONNX Runtime (classifier + query encoder)": "OnnxRunner.__call__",
    "tokenizers": "tokenizers",
    "SQLAlchemy (ORM + SQL)": "sqlalchemy",
    "ranker (suggested replies)": "HybridRanker.rank",
    "context (history read)": "ContextBuilder.build",
    "related cases (history index)": "AgentAssist.related",
    "authentication": "get_principal",
    "pydantic (payload)": "pydantic",
}


def _idle(leaf: str) -> bool:
    """A thread parked on a lock, a condition or a selector: not CPU."""
    name = leaf.split(" ", 1)[0].rsplit(".", 1)[-1]
    return ("acquire" in name and "lock" in leaf) or name in ("wait", "select", "poll")


def shares(lines: Iterable[str]) -> tuple[int, dict[str, float]]:
    """(samples inside the call, share of them per part) from py-spy's raw output: one
    `frame;frame;...;leaf count` line per distinct stack."""
    total, counts = 0, Counter[str]()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        if any(s in stack for s in START_UP) or not any(m in stack for m in IN_CALL):
            continue
        if _idle(stack.split(";")[-1]):
            continue
        n = int(count)
        total += n
        for part, frame in PARTS.items():
            if frame in stack:
                counts[part] += n
    return total, {p: counts[p] / total for p in PARTS} if total else {}


def serve(calls: int) -> float:
    """Serve `calls` assist calls in-process; CPU ms per call."""
    os.chdir(ROOT)
    work = Path(tempfile.mkdtemp(prefix="profile-assist-"))
    shutil.copy(ROOT / "var" / "history.db", work / "history.db")
    os.environ.update(
        {
            "AGENT_ASSIST_RATE_LIMIT_PER_MINUTE": "0",
            "AGENT_ASSIST_HISTORY_URL": f"sqlite:///{work / 'history.db'}",
            "HF_HUB_OFFLINE": "1",
        }
    )
    from fastapi.testclient import TestClient

    from api.main import create_app

    headers = {"Authorization": "Bearer demo-assist-key"}
    warm = 30
    texts = [f"where is my order {i}, it is late again ({7 * i})" for i in range(calls + warm)]
    try:
        with TestClient(create_app()) as client:

            def call(text: str) -> None:
                turns = [{"role": "customer", "text": text}]
                r = client.post(
                    "/v1/assist", json={"customer_id": "C-0001", "turns": turns}, headers=headers
                )
                r.raise_for_status()

            for text in texts[:warm]:
                call(text)
            started = time.process_time()
            for text in texts[warm:]:
                call(text)
            return (time.process_time() - started) / max(1, calls) * 1000
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile_assist", description=__doc__)
    ap.add_argument("--calls", type=int, default=400, help="assist calls to serve")
    ap.add_argument("--report", type=Path, help="py-spy raw output to read instead of serving")
    a = ap.parse_args(argv)
    if a.report is None:
        if not (ROOT / "var" / "history.db").exists():
            ap.error("no var/history.db: run `make model history` first")
        print(f"{serve(a.calls):.1f} ms of CPU per assist call (process, all threads)")
        return 0
    with a.report.open(encoding="utf-8") as f:
        total, found = shares(f)
    if not total:
        print(f"{a.report}: no samples inside an assist call", file=sys.stderr)
        return 1
    print(f"{total} samples inside the assist call; share of them per part:")
    for part, share in sorted(found.items(), key=lambda kv: -kv[1]):
        print(f"  {100 * share:5.1f} %  {part}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
