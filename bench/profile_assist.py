"""Where an assist call's CPU goes (issue #14). Two steps, the first under a sampling
profiler that sees every thread (py-spy: `pip install py-spy` in any virtualenv; it is
not a dependency of the product):

    py-spy record -r 200 -f raw -o var/profile_assist.txt -- \\
        .venv/bin/python -m bench.profile_assist --calls 400
    .venv/bin/python -m bench.profile_assist --report var/profile_assist.txt

Without a profiler, `--parts` times the parts of the call in-process instead: each part's
wall time per call, measured around its function (calls served one at a time, so on an
otherwise idle machine wall time is CPU time; nested parts are inside their callers):

    .venv/bin/python -m bench.profile_assist --parts   # -> bench/results/profile_assist.*

py-spy's shares over-weight the Python of the call: on 2026-12-01 it gave SQLAlchemy
31-42 % of the samples inside the call, where `--parts` timed the context (SQL and all)
at 23 % and the related events' read at 8 %. Trust `--parts` for how many milliseconds a
part costs; use py-spy to see inside a part.

The first serves `--calls` `POST /v1/assist` calls in-process (FastAPI's TestClient, the
demo model and history of `make run` on a copy of var/history.db, rate limit off, every
call a new text so no cache answers). The second reads py-spy's collapsed stacks, keeps
the samples taken inside the call (the route, the analyzer, the assist builder, their
worker threads; start-up and idle waits left out) and prints the share of them that each
part of the call holds. Parts overlap where one calls the other (the context is read
through the ORM), so the shares do not add up to 100 %."""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

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


# the parts `--parts` times: (label, module, class or None, function), outermost first
TIMED = (
    ("authentication", "api.security", "AuthService", "authenticate"),
    ("assist payload (analysis and assist)", "api.assist_payload", "AssistBuilder", "build"),
    (
        "  turn analysis (classifier, entities, sentiment)",
        "intent.pipeline",
        "TurnAnalyzer",
        "analyze",
    ),
    ("  assist (context, replies, history)", "retrieval.assist", "AgentAssist", "assist"),
    ("    context", "retrieval.context", "ContextBuilder", "build"),
    ("      history read (SQL)", "retrieval.store", "SqlHistoryStore", "history"),
    ("    suggested replies (ranker)", "retrieval.ranker", "HybridRanker", "rank"),
    ("    related history", "retrieval.assist", "AgentAssist", "related"),
    ("    resolved cases", "retrieval.assist", "AgentAssist", "resolved_cases"),
    ("    events by id (SQL)", "retrieval.store", "SqlHistoryStore", "get_events"),
    ("ONNX Runtime passes (both encoders)", "intent.onnx_runtime", "OnnxRunner", "__call__"),
)


class PartTimer:
    """Wraps the `TIMED` functions; wall seconds and calls per label (re-entrant calls of
    the same function are counted once, at the outermost)."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self._local = threading.local()  # per thread: how deep in each label it is
        self._undo: list[tuple[object, str, object]] = []

    def install(self) -> PartTimer:
        import importlib

        for label, module, cls, name in TIMED:
            owner = (
                getattr(importlib.import_module(module), cls)
                if cls
                else importlib.import_module(module)
            )
            original = getattr(owner, name)
            setattr(owner, name, self._wrap(label, original))
            self._undo.append((owner, name, original))
        return self

    def _wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        timer = self

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            depth: Counter[str] = timer._local.__dict__.setdefault("depth", Counter())
            depth[label] += 1
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                depth[label] -= 1
                if not depth[label]:
                    timer.seconds[label] += time.perf_counter() - started
                    timer.calls[label] += 1

        return timed

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo.clear()


def serve(calls: int, timer: PartTimer | None = None) -> float:
    """Serve `calls` assist calls in-process; CPU ms per call. `timer`: reset after the
    warm-up calls, so it holds the measured calls only."""
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
            if timer is not None:
                timer.reset()
            started = time.process_time()
            for text in texts[warm:]:
                call(text)
            return (time.process_time() - started) / max(1, calls) * 1000
    finally:
        shutil.rmtree(work, ignore_errors=True)


def parts_table(timer: PartTimer, calls: int, cpu_ms: float) -> str:
    """Each part's wall ms per assist call, its share of the call's CPU and how often it
    runs per call; an indented part is inside the one above it."""
    width = max(len(label) for label, *_ in TIMED)
    lines = [f"{'part':{width}}  ms/call  share  runs/call"]
    for label, *_ in TIMED:
        ms = timer.seconds[label] / max(1, calls) * 1000
        share = 100 * ms / cpu_ms if cpu_ms else 0.0
        runs = timer.calls[label] / max(1, calls)
        lines.append(f"{label:{width}}  {ms:7.2f}  {share:4.0f}%  {runs:9.1f}")
    return "\n".join(lines)


def parts_rows(timer: PartTimer, calls: int) -> list[dict[str, Any]]:
    """One row per part: its label, nesting depth, ms per call and runs per call."""
    return [
        {
            "part": label.strip(),
            "depth": (len(label) - len(label.lstrip())) // 2,
            "ms_per_call": round(timer.seconds[label] / max(1, calls) * 1000, 3),
            "runs_per_call": round(timer.calls[label] / max(1, calls), 2),
        }
        for label, *_ in TIMED
    ]


def save_parts(rows: list[dict[str, Any]], calls: int, cpu_ms: float, name: str) -> Path:
    """bench/results/<name>.{json,md,png}: the figures, a page that shows them, a chart."""
    import json
    import platform
    from datetime import UTC, datetime

    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "command": f"python -m bench.profile_assist --parts --calls {calls}",
        "calls": calls,
        "cpu_ms_per_call": round(cpu_ms, 2),
    }
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "parts": rows}, indent=2))
    lines = [
        "# Where an assist call's time goes",
        "",
        f"{meta['date']} · {meta['machine']} · `{meta['command']}`: {calls} calls of "
        "`POST /v1/assist` served in-process one at a time (the demo model and history, "
        "every call a new text). Each part's wall time around its function; on an idle "
        "machine that is its CPU. An indented part is inside the one above it.",
        "",
        f"CPU per call (process, all threads): **{cpu_ms:.1f} ms**.",
        "",
        "| part | ms per call | share of the call's CPU | runs per call |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        share = 100 * r["ms_per_call"] / cpu_ms if cpu_ms else 0.0
        name_ = "&nbsp;&nbsp;" * r["depth"] + r["part"]
        lines.append(
            f"| {name_} | {r['ms_per_call']:.2f} | {share:.0f} % | {r['runs_per_call']:.1f} |"
        )
    if _plot_parts(rows, cpu_ms, RESULTS / f"{name}.png"):
        lines += ["", f"![ms per call by part]({name}.png)"]
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _plot_parts(rows: list[dict[str, Any]], cpu_ms: float, path: Path) -> bool:
    """Horizontal bars of ms per call, nested parts indented (False: no matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    labels = ["› " * r["depth"] + r["part"] for r in rows][::-1]  # tick labels are right-aligned
    values = [r["ms_per_call"] for r in rows][::-1]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.2))
    ax.barh(
        range(len(rows)),
        values,
        color=["#4c78a8" if "SQL" not in lab else "#e45756" for lab in labels],
    )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.axvline(cpu_ms, color="grey", linestyle="--", linewidth=1)
    ax.set_xlabel(f"ms per assist call (dashed: the whole call's CPU, {cpu_ms:.1f} ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.profile_assist", description=__doc__)
    ap.add_argument("--calls", type=int, default=400, help="assist calls to serve")
    ap.add_argument("--report", type=Path, help="py-spy raw output to read instead of serving")
    ap.add_argument(
        "--parts", action="store_true", help="time the parts of the call (no profiler needed)"
    )
    ap.add_argument(
        "--out",
        default="profile_assist",
        help="with --parts: the report's name under bench/results (default profile_assist)",
    )
    a = ap.parse_args(argv)
    if a.report is None:
        if not (ROOT / "var" / "history.db").exists():
            ap.error("no var/history.db: run `make model history` first")
        timer = PartTimer().install() if a.parts else None
        try:
            cpu = serve(a.calls, timer)
        finally:
            if timer is not None:
                timer.uninstall()
        print(f"{cpu:.1f} ms of CPU per assist call (process, all threads)")
        if timer is not None:
            print(parts_table(timer, a.calls, cpu))
            print(f"report: {save_parts(parts_rows(timer, a.calls), a.calls, cpu, a.out)}")
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
