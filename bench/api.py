"""API load test -> bench/results/api.{md,json} (`python -m bench.api [--quick]`).

Bounded, 127.0.0.1 only: starts `python -m api` (the real intent model and retrieval, a
throw-away SQLite history under var/bench-api/, a stub Rasa REST endpoint answering at
once so the bot path is measured without Rasa itself), then for 1, 10 and 50 concurrent
clients measures `POST /v1/assist` and one customer turn (`POST
/v1/conversations/{id}/messages`): throughput, p50 / p99 latency, errors, server RSS.
Client and server share the machine: the figures are a floor for a dedicated server."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
TURNS = [
    "where is my order ORD-100234?",
    "my new phone won't activate",
    "how long does delivery take?",
    "I want a refund for my headphones",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _StubRasa(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server API)
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = b'[{"recipient_id": "x", "text": "Let me check that for you."}]'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def percentile(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s)) - 1))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run_level(
    base: str, kind: str, clients: int, seconds: float, headers: dict[str, str]
) -> dict[str, Any]:
    lat: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(i: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=30) as c:
            path, conv_headers = "/v1/assist", headers
            if kind == "turn":
                r = await c.post(
                    "/v1/conversations", json={"customer_id": "C-0001"}, headers=headers
                )
                body = r.json()
                path = f"/v1/conversations/{body['conversation']['id']}/messages"
                conv_headers = {"Authorization": f"Bearer {body['token']}"}
            n = 0
            while time.perf_counter() < deadline:
                text = TURNS[(i + n) % len(TURNS)]
                payload: dict[str, Any] = (
                    {"customer_id": "C-0001", "turns": [{"role": "customer", "text": text}]}
                    if kind == "assist"
                    else {"text": text}
                )
                t0 = time.perf_counter()
                try:
                    r = await c.post(path, json=payload, headers=conv_headers)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                lat.append(time.perf_counter() - t0)
                errors += 0 if ok else 1
                n += 1

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    wall = time.perf_counter() - t0
    return {
        "endpoint": kind,
        "clients": clients,
        "requests": len(lat),
        "errors": errors,
        "throughput_rps": round(len(lat) / wall, 1),
        "p50_ms": round(percentile(lat, 50) * 1000, 1),
        "p99_ms": round(percentile(lat, 99) * 1000, 1),
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else None,
    }


def seed(url: str) -> None:
    from retrieval.store import SqlHistoryStore

    store = SqlHistoryStore.open(url)
    now = datetime.now(UTC)
    store.upsert_customers([{"id": "C-0001", "name": "Emma Martin", "tier": "gold"}])
    store.upsert_orders(
        [
            {
                "id": "ORD-100234",
                "customer_id": "C-0001",
                "status": "shipped",
                "total": 899.0,
                "items": [{"sku": "PH-1", "name": "Phone X", "price": 899.0}],
                "placed_at": now,
            }
        ]
    )
    store.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.api")
    ap.add_argument("--quick", action="store_true", help="5 s per level instead of 20 s")
    ap.add_argument("--levels", default="1,10,50")
    args = ap.parse_args(argv)
    seconds = 5.0 if args.quick else 20.0
    levels = [int(x) for x in args.levels.split(",")]
    work = ROOT / "var" / "bench-api"
    work.mkdir(parents=True, exist_ok=True)
    db = work / "history.db"
    db.unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    seed(url)
    rasa = ThreadingHTTPServer(("127.0.0.1", free_port()), _StubRasa)
    threading.Thread(target=rasa.serve_forever, daemon=True).start()
    port = free_port()
    env = dict(
        os.environ,
        AGENT_ASSIST_PORT=str(port),
        AGENT_ASSIST_HOST="127.0.0.1",
        AGENT_ASSIST_HISTORY_URL=url,
        AGENT_ASSIST_RASA_URL=f"http://127.0.0.1:{rasa.server_address[1]}",
        AGENT_ASSIST_RATE_LIMIT_PER_MINUTE="0",
        AGENT_ASSIST_HANDOFF_POLICY=str(ROOT / "data" / "handoff_policy.yml"),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "api"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1800):  # first start embeds the response bank (cached after)
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise SystemExit("the API did not start: run `make model` first")
            time.sleep(1)
        headers = {"Authorization": "Bearer demo-assist-key"}
        rows = []
        for kind in ("assist", "turn"):
            for n in levels:
                row = asyncio.run(run_level(base, kind, n, seconds, headers))
                row["server_rss_mb"] = round(rss_mb(server.pid), 1)
                rows.append(row)
                print(json.dumps(row), flush=True)
    finally:
        server.terminate()
        server.wait(30)
        rasa.shutdown()
    write(rows, seconds, args.quick)
    return 0


def write(rows: list[dict[str, Any]], seconds: float, quick: bool) -> None:
    name = "api_quick" if quick else "api"
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "seconds_per_level": seconds,
        "command": "python -m bench.api" + (" --quick" if quick else ""),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    lines = [
        "# API load test",
        "",
        f"{meta['date']} · {meta['machine']} · `{meta['command']}` · {seconds:.0f} s per level;"
        " client and server on the same machine (127.0.0.1).",
        "",
        "| endpoint | clients | requests | errors | req/s | p50 ms | p99 ms | server RSS MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['endpoint']} | {r['clients']} | {r['requests']} | {r['errors']} | "
            f"{r['throughput_rps']} | {r['p50_ms']} | {r['p99_ms']} | {r['server_rss_mb']} |"
        )
    lines += ["", "Goals (issue 4): assist p99 <= 50 ms at 10 clients, >= 150 assist/s at 50."]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
