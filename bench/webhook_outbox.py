"""What the webhook outbox costs the service, side by side with an earlier commit:
`python -m bench.webhook_outbox [--baseline REV] [--events N] [--postgres]`.

Every state change a webhook may report (a customer turn, a hand-off, a claim...) writes
an outbox event in its own transaction and wakes the dispatcher, whose tick fans new
events out to one delivery per receiver and leases the due deliveries
(`api/webhooks.py`). This bench writes events one at a time, as turns do, and after each
runs a busy tick (the new event) and an idle one (nothing left), with 0 and with 2
receivers, in-process: CPU of this process per event (`time.process_time`), so the
figure does not depend on what else the machine runs. Nothing is sent: the HTTP side is
not measured.

The baseline runs the same measurement in a subprocess on `git archive REV`'s `api/`.
Output: bench/results/webhook_outbox.{json,md,png} (`--out NAME`)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
RECEIVERS = (0, 2)


def measure(url: str, events: int, receivers: int) -> dict[str, float]:
    """CPU ms per event of the ticks that follow it (busy, idle) on the database `url`,
    with the `api` package found on sys.path (this checkout's or a baseline's)."""
    from sqlalchemy.orm import Session

    from api.conversations.store import utcnow
    from api.storage.schema import open_database
    from api.storage.tables import OutboxEventRow
    from api.webhooks import WebhookDispatcher

    engine = open_database(url)
    urls = [f"https://receiver-{k}.example/hook" for k in range(receivers)]
    dispatcher = WebhookDispatcher(engine, urls, "bench-secret", allow_private=True)
    busy = idle = 0.0
    warm = max(events // 10, 5)
    for k in range(events + warm):
        with Session(engine) as s, s.begin():
            s.add(
                OutboxEventRow(
                    id=f"evt_bench_{k:06d}",
                    type="conversation.message",
                    payload={"k": k, "text": "where is my order"},
                    created_at=utcnow(),
                    dispatched=False,
                )
            )
        t0 = time.process_time()
        dispatcher._fan_out()
        dispatcher._claim_due()
        t1 = time.process_time()
        dispatcher._fan_out()
        dispatcher._claim_due()
        t2 = time.process_time()
        if k >= warm:  # the first ticks compile statements and fill caches
            busy += t1 - t0
            idle += t2 - t1
    engine.dispose()
    return {
        "busy_tick_ms": round(1000 * busy / events, 3),
        "idle_tick_ms": round(1000 * idle / events, 3),
        "per_event_ms": round(1000 * (busy + idle) / events, 3),
    }


def _measure_in(
    root: Path, url: str, events: int, receivers: int, extra: dict[str, str]
) -> dict[str, float]:
    """`measure` in a subprocess that imports `api` from `root` (`extra`: environment,
    e.g. the database's password)."""
    env = dict(os.environ, PYTHONPATH=str(root), **extra)
    out = subprocess.run(
        [sys.executable, __file__, "--measure", url, str(events), str(receivers)],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run(
    events: int, baseline: str | None, postgres: bool, progress: bool = True
) -> list[dict[str, Any]]:
    from bench.api import Databases, unpack

    work = ROOT / "var" / "bench-webhooks"
    work.mkdir(parents=True, exist_ok=True)
    roots = {"this checkout": ROOT}
    if baseline:
        sha, dest = unpack(baseline, work)
        roots = {f"baseline {sha}": dest, **roots}
    dbs = Databases(work, postgres=postgres) if postgres else None
    rows: list[dict[str, Any]] = []
    try:
        for receivers in RECEIVERS:
            for name, root in roots.items():
                if dbs is not None:
                    url = dbs.fresh(f"outbox{len(rows)}")
                else:
                    url = f"sqlite:///{tempfile.mkdtemp(dir=work)}/outbox.db"
                extra = dbs.env() if dbs is not None else {}
                figures = _measure_in(root, url, events, receivers, extra)
                rows.append({"server": name, "receivers": receivers, **figures})
                if progress:
                    print(json.dumps(rows[-1]), flush=True)
    finally:
        if dbs is not None:
            dbs.close()
    return rows


def write(rows: list[dict[str, Any]], meta: dict[str, Any], name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    lines = [
        "# The webhook outbox: CPU per event",
        "",
        f"{meta['date']} · {meta['machine']} · `{meta['command']}` · {meta['database']}: "
        f"{meta['events']} outbox events written one at a time; after each, a busy tick "
        "(fan out the new event, lease its deliveries) and an idle one. CPU of the "
        "process (`time.process_time`); nothing is sent.",
        "",
        "| code | receivers | busy tick ms | idle tick ms | CPU ms per event |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['server']} | {r['receivers']} | {r['busy_tick_ms']:.2f} | "
            f"{r['idle_tick_ms']:.2f} | **{r['per_event_ms']:.2f}** |"
        )
    if _plot(rows, RESULTS / f"{name}.png"):
        lines += ["", f"![CPU ms per outbox event]({name}.png)"]
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _plot(rows: list[dict[str, Any]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    servers = list(dict.fromkeys(r["server"] for r in rows))
    fig, ax = plt.subplots(figsize=(7, 3.2))
    width = 0.8 / len(servers)
    for i, server in enumerate(servers):
        mine = [r for r in rows if r["server"] == server]
        xs = [RECEIVERS.index(r["receivers"]) + i * width for r in mine]
        ax.bar(xs, [r["per_event_ms"] for r in mine], width, label=server)
    ax.set_xticks([k + width * (len(servers) - 1) / 2 for k in range(len(RECEIVERS))])
    ax.set_xticklabels([f"{n} receivers" for n in RECEIVERS])
    ax.set_ylabel("CPU ms per outbox event")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--measure"]:  # the subprocess side
        url, events, receivers = args[1], int(args[2]), int(args[3])
        print(json.dumps(measure(url, events, receivers)))
        return 0
    ap = argparse.ArgumentParser(prog="python -m bench.webhook_outbox", description=__doc__)
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--baseline", help="also measure this commit (e.g. HEAD~1)")
    ap.add_argument("--postgres", action="store_true", help="a throw-away PostgreSQL 15")
    ap.add_argument("--out", default="webhook_outbox")
    a = ap.parse_args(args)
    rows = run(a.events, a.baseline, a.postgres)
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "command": " ".join(["python -m bench.webhook_outbox", *args]),
        "database": "PostgreSQL 15" if a.postgres else "SQLite",
        "events": a.events,
    }
    print(write(rows, meta, a.out))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        sys.path.insert(0, os.getcwd())  # the tree whose `api` is measured
    raise SystemExit(main())
