"""API load test -> bench/results/api.{md,json} (`python -m bench.api [--quick]`).

Bounded, 127.0.0.1 only: starts `python -m api` (the real intent model and retrieval, a
throw-away SQLite history under var/bench-api/, a stub Rasa REST endpoint answering at
once so the bot path is measured without Rasa itself), then for 1, 10 and 50 concurrent
clients measures `POST /v1/assist` and one customer turn (`POST
/v1/conversations/{id}/messages`): throughput, p50 / p99 latency, errors, server RSS.
Each level stops after `--seconds` or `--max-requests`, whichever comes first.

Every request sends a text no earlier request sent (a turn of data/intents/test.csv plus
an order number of its own), so the service's LRU of recent texts never answers: the
figures are those of new customer messages. Client and server share the machine (and
its load: the 1-minute load average is recorded before each level): the figures are a
floor for a dedicated server. Server CPU and RSS are those of the whole process tree
(the uvicorn supervisor and its workers).

Side by side: `--baseline REV` (`make bench-api` passes the previous commit, HEAD~1)
serves that commit too (`git archive REV`, unpacked under var/bench-api/) with the same
client, on its own database, and runs each level against both servers in turn, so both
see the same machine load. `--workers N` serves N worker processes (`python -m api
--workers N`) on a throw-away PostgreSQL 15 (rasa_bot.scaled.Postgres under
var/bench-api/postgres), as `make run-scaled` does. `--server-root DIR` serves another
checkout instead of this one, and `--env KEY=VALUE` sets the servers' environment (e.g.
AGENT_ASSIST_ONNX=false)."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from rasa_bot.stack import free_port

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
TURNS = [
    "where is my order ORD-100234?",
    "my new phone won't activate",
    "how long does delivery take?",
    "I want a refund for my headphones",
]


def load_turns() -> list[str]:
    """Customer turns of the demo test split (the fixed four when it is missing)."""
    path = ROOT / "data" / "intents" / "test.csv"
    if not path.is_file():
        return TURNS
    with path.open(encoding="utf-8") as f:
        return [row["text"] for row in csv.DictReader(f) if row.get("text")] or TURNS


class TextSource:
    """Texts no earlier call returned: the n-th turn of a pool plus its own order number."""

    def __init__(self, pool: list[str]) -> None:
        self.pool = pool
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"{self.pool[self.n % len(self.pool)]} (order ORD-{200000 + self.n})"


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


def tree_pids(pid: int) -> list[int]:
    """`pid` and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process and its descendants have used so far."""
    total = 0.0
    for p in tree_pids(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def rss_mb(pid: int) -> float:
    """Resident memory of the process and its descendants."""
    total = 0
    for p in tree_pids(pid):
        try:
            lines = Path(f"/proc/{p}/status").read_text().splitlines()
        except OSError:
            continue
        total += next((int(x.split()[1]) for x in lines if x.startswith("VmRSS:")), 0)
    return total / 1024


class Connection:
    """One keep-alive HTTP/1.1 connection that POSTs JSON and reads status + body: a few
    tens of microseconds of client CPU per request, where an httpx client costs the shared
    cores several milliseconds at 50 clients (the load-generating side must stay light)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, payload: Any, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        body = json.dumps(payload).encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{head}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        length, chunked = 0, False
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            data = b""
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                data += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readuntil(b"\r\n")
        else:
            data = await self.reader.readexactly(length)
        return int(status_line.split()[1]), data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()
        self.reader = self.writer = None


async def run_level(
    base: str,
    kind: str,
    clients: int,
    seconds: float,
    headers: dict[str, str],
    texts: TextSource,
    max_requests: int = 0,
) -> dict[str, Any]:
    lat: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    started = 0

    def more() -> bool:
        nonlocal started
        if time.perf_counter() >= deadline or (max_requests and started >= max_requests):
            return False
        started += 1
        return True

    host, port = base.removeprefix("http://").rsplit(":", 1)

    async def worker(i: int) -> None:
        nonlocal errors
        c = Connection(host, int(port))
        path, conv_headers = "/v1/assist", headers
        if kind == "turn":
            status, data = await c.post("/v1/conversations", {"customer_id": "C-0001"}, headers)
            body = json.loads(data)
            path = f"/v1/conversations/{body['conversation']['id']}/messages"
            conv_headers = {"Authorization": f"Bearer {body['token']}"}
        while more():
            text = texts.next()
            payload: dict[str, Any] = (
                {"customer_id": "C-0001", "turns": [{"role": "customer", "text": text}]}
                if kind == "assist"
                else {"text": text}
            )
            t0 = time.perf_counter()
            try:
                status, _ = await asyncio.wait_for(c.post(path, payload, conv_headers), 30)
                ok = status == 200
            except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                ok = False
                await c.close()  # a fresh connection for the next request
            lat.append(time.perf_counter() - t0)
            errors += 0 if ok else 1
        await c.close()

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


# run by the served checkout's own Python code, so its migrations build the schema
SEED = """
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from retrieval.store import SqlHistoryStore

store = SqlHistoryStore.open(sys.argv[1])
store.upsert_customers([{"id": "C-0001", "name": "Emma Martin", "tier": "gold"}])
store.upsert_orders([{
    "id": "ORD-100234", "customer_id": "C-0001", "status": "shipped", "total": 899.0,
    "items": [{"sku": "PH-1", "name": "Phone X", "price": 899.0}],
    "placed_at": datetime.now(UTC),
}])
store.close()
"""


def seed(url: str, server_root: Path = ROOT, extra: dict[str, str] | None = None) -> None:
    env = dict(os.environ, PYTHONPATH=str(server_root), **(extra or {}))
    subprocess.run([sys.executable, "-c", SEED, url], cwd=server_root, env=env, check=True)


@dataclass
class Server:
    """One served checkout: `python -m api` (with `workers` processes) on its own port,
    database and index folders."""

    name: str
    root: Path
    popen: subprocess.Popen[bytes]
    base: str


def unpack(rev: str, work: Path) -> tuple[str, Path]:
    """`git archive rev` unpacked under `work` (kept: a later run reuses it)."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    dest = work / f"baseline-{sha}"
    if not (dest / "api").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return sha, dest


class Databases:
    """A fresh database per server: SQLite files, or with `postgres` a throw-away
    PostgreSQL 15 (stopped at `close` when started here)."""

    def __init__(self, work: Path, postgres: bool) -> None:
        self.work = work
        self.pg: Any = None
        if postgres:
            from rasa_bot.scaled import Postgres

            root = work / "postgres"
            self.pg = Postgres(root, free_port())
            root.parent.chmod(0o755)  # PostgreSQL runs as the postgres user
            self.pg.start(sys.stderr)

    def env(self) -> dict[str, str]:
        return self.pg.env() if self.pg is not None else {}

    def fresh(self, name: str) -> str:
        if self.pg is None:
            db = self.work / f"{name}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            return f"sqlite:///{db}"
        import psycopg

        dbname = f"bench_{name}".replace("-", "_")
        with psycopg.connect(
            host="127.0.0.1",
            port=self.pg.port,
            user="postgres",
            password=self.pg.password,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        return str(self.pg.url(dbname))

    def close(self) -> None:
        if self.pg is not None:
            self.pg.stop()


def start_server(
    name: str,
    root: Path,
    url: str,
    work: Path,
    rasa_url: str,
    workers: int,
    extra: dict[str, str],
) -> Server:
    port = free_port()
    env = dict(
        os.environ,
        AGENT_ASSIST_PORT=str(port),
        AGENT_ASSIST_HOST="127.0.0.1",
        AGENT_ASSIST_HISTORY_URL=url,
        AGENT_ASSIST_RASA_URL=rasa_url,
        AGENT_ASSIST_RATE_LIMIT_PER_MINUTE="0",
        AGENT_ASSIST_HANDOFF_POLICY=str(ROOT / "data" / "handoff_policy.yml"),
        AGENT_ASSIST_MODEL_DIR=str(ROOT / "var" / "models" / "intent"),
        AGENT_ASSIST_RESPONSE_CACHE_DIR=str(ROOT / "var" / "cache" / "responses"),
        AGENT_ASSIST_ONNX_CACHE_DIR=str(ROOT / "var" / "cache" / "onnx"),
        AGENT_ASSIST_INDEX_DIR=str(work / name / "index"),
        AGENT_ASSIST_MULTILINGUAL_INDEX_DIR=str(work / name / "index-multilingual"),
        PROMETHEUS_MULTIPROC_DIR=str(work / name / "prometheus"),
        PYTHONPATH=str(root),
        **extra,
    )
    (work / name / "prometheus").mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "api"] + (["--workers", str(workers)] if workers > 1 else [])
    popen = subprocess.Popen(
        cmd, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return Server(name, root, popen, f"http://127.0.0.1:{port}")


def wait_ready(server: Server, workers: int) -> None:
    """/readyz answers 200 and, with several workers, every worker process answers."""
    for _ in range(1800):  # first start embeds the response bank (cached after)
        try:
            ready = httpx.get(f"{server.base}/readyz", timeout=2).status_code == 200
            if ready and workers > 1:  # new connections land on any worker
                seen = {httpx.get(f"{server.base}/healthz").json().get("pid") for _ in range(20)}
                ready = len(seen) >= workers
            if ready:
                return
        except httpx.HTTPError:
            pass
        if server.popen.poll() is not None:
            raise SystemExit(f"the {server.name} API did not start: run `make model` first")
        time.sleep(1)
    raise SystemExit(f"the {server.name} API was not ready after 30 minutes")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.api")
    ap.add_argument("--quick", action="store_true", help="5 s per level instead of 20 s")
    ap.add_argument("--levels", default="1,10,50")
    ap.add_argument("--seconds", type=float, help="per level (default 20, quick 5)")
    ap.add_argument("--max-requests", type=int, default=4000, help="per level (0: no cap)")
    ap.add_argument("--endpoints", default="assist,turn")
    ap.add_argument("--server-root", type=Path, default=ROOT, help="checkout to serve")
    ap.add_argument("--baseline", help="also serve this commit (e.g. HEAD~1), side by side")
    ap.add_argument("--workers", type=int, default=1, help="API worker processes (>1: PostgreSQL)")
    ap.add_argument("--env", action="append", default=[], help="KEY=VALUE for the servers")
    ap.add_argument("--out", help="report name under bench/results (default api / api_quick)")
    args = ap.parse_args(argv)
    seconds = args.seconds or (5.0 if args.quick else 20.0)
    levels = [int(x) for x in args.levels.split(",")]
    kinds = [k for k in args.endpoints.split(",") if k]
    work = ROOT / "var" / "bench-api"
    work.mkdir(parents=True, exist_ok=True)
    roots = {"this checkout": args.server_root.resolve()}
    if args.baseline:
        sha, dest = unpack(args.baseline, work)
        roots = {f"baseline {sha}": dest, **roots}
    rasa = ThreadingHTTPServer(("127.0.0.1", free_port()), _StubRasa)
    threading.Thread(target=rasa.serve_forever, daemon=True).start()
    rasa_url = f"http://127.0.0.1:{rasa.server_address[1]}"
    dbs = Databases(work, postgres=args.workers > 1)
    extra = {**dbs.env(), **dict(kv.split("=", 1) for kv in args.env)}
    servers: list[Server] = []
    rows = []
    try:
        for i, (name, root) in enumerate(roots.items()):
            url = dbs.fresh(f"server{i}")
            seed(url, root, extra)
            servers.append(
                start_server(f"server{i}", root, url, work, rasa_url, args.workers, extra)
            )
            servers[-1].name = name
        for server in servers:
            wait_ready(server, args.workers)
        headers = {"Authorization": "Bearer demo-assist-key"}
        texts = TextSource(load_turns())
        for server in servers:  # warm-up, not kept
            asyncio.run(run_level(server.base, "assist", 2, 2.0, headers, texts, 40))
        for kind in kinds:
            for n in levels:
                for server in servers:
                    rows.append(measure(server, kind, n, seconds, headers, texts, args))
                    print(json.dumps(rows[-1]), flush=True)
    finally:
        for server in servers:
            server.popen.terminate()
            try:
                server.popen.wait(30)
            except subprocess.TimeoutExpired:
                server.popen.kill()
        rasa.shutdown()
        dbs.close()
    command = " ".join(["python -m bench.api", *(sys.argv[1:] if argv is None else argv)])
    name = args.out or ("api_quick" if args.quick else "api")
    write(rows, seconds, args.max_requests, name, command, args.env, args.workers)
    return 0


def measure(
    server: Server,
    kind: str,
    clients: int,
    seconds: float,
    headers: dict[str, str],
    texts: TextSource,
    args: argparse.Namespace,
) -> dict[str, Any]:
    load = os.getloadavg()[0]
    pid = server.popen.pid
    server_cpu, client_cpu = cpu_s(pid), time.process_time()
    row = asyncio.run(
        run_level(server.base, kind, clients, seconds, headers, texts, args.max_requests)
    )
    done = max(1, row["requests"])
    row["server"] = server.name
    row["workers"] = args.workers
    row["server_cpu_ms_per_req"] = round((cpu_s(pid) - server_cpu) / done * 1e3, 1)
    row["client_cpu_ms_per_req"] = round((time.process_time() - client_cpu) / done * 1e3, 1)
    row["load_1m_before"] = round(load, 2)
    row["server_rss_mb"] = round(rss_mb(pid), 1)
    return row


def write(
    rows: list[dict[str, Any]],
    seconds: float,
    max_requests: int,
    name: str,
    command: str,
    server_env: list[str],
    workers: int = 1,
) -> None:
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_version()}",
        "seconds_per_level": seconds,
        "max_requests_per_level": max_requests,
        "command": command,
        "server_env": server_env,
        "workers": workers,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    lines = [
        "# API load test",
        "",
        f"{meta['date']} · {meta['machine']} · `{meta['command']}` · at most {seconds:.0f} s"
        f" and {max_requests or 'unlimited'} requests per level; client and server on the same"
        " machine (127.0.0.1); every request a new text (no cache hits)."
        + (f" Server environment: {' '.join(server_env)}." if server_env else ""),
        "",
        f"Server: `python -m api` with {workers} worker process"
        + ("es on PostgreSQL 15." if workers > 1 else " on SQLite.")
        + " Each level runs against each server in turn (same machine load).",
        "",
        "| server | endpoint | clients | requests | errors | req/s | p50 ms | p99 ms"
        " | server RSS MB | server CPU ms/req | client CPU ms/req | load (1 min) before |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.get('server', 'this checkout')} | {r['endpoint']} | {r['clients']} | "
            f"{r['requests']} | {r['errors']} | "
            f"{r['throughput_rps']} | {r['p50_ms']} | {r['p99_ms']} | {r['server_rss_mb']} | "
            f"{r['server_cpu_ms_per_req']} | {r['client_cpu_ms_per_req']} | {r['load_1m_before']} |"
        )
    lines += ["", "Goals (issue 14): assist p99 <= 50 ms at 10 clients, >= 150 assist/s at 50."]
    if plot(rows, RESULTS / f"{name}.png"):
        lines += ["", f"![throughput and CPU per request by server and level]({name}.png)"]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """req/s and server CPU per request, per endpoint, level and server (False: no
    matplotlib installed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    kinds = list(dict.fromkeys(r["endpoint"] for r in rows))
    servers = list(dict.fromkeys(r.get("server", "this checkout") for r in rows))
    fig, axes = plt.subplots(2, len(kinds), figsize=(5 * len(kinds), 6), squeeze=False)
    width = 0.8 / max(1, len(servers))
    for col, kind in enumerate(kinds):
        levels = sorted({r["clients"] for r in rows if r["endpoint"] == kind})
        for row, (key, label) in enumerate(
            [("throughput_rps", "requests/s"), ("server_cpu_ms_per_req", "server CPU ms/request")]
        ):
            ax = axes[row][col]
            for k, server in enumerate(servers):
                got = {
                    r["clients"]: r[key]
                    for r in rows
                    if r["endpoint"] == kind and r.get("server", "this checkout") == server
                }
                xs = [i + k * width for i in range(len(levels))]
                ax.bar(xs, [got.get(n, 0) for n in levels], width, label=server)
            ax.set_xticks([i + width * (len(servers) - 1) / 2 for i in range(len(levels))])
            ax.set_xticklabels([f"{n} clients" for n in levels])
            ax.set_title(f"{kind}: {label}")
            if row == 0 and col == 0:
                ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


if __name__ == "__main__":
    sys.exit(main())
