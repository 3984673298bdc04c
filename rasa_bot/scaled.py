"""`python -m rasa_bot.stack --scaled --workers N` (`make run-scaled WORKERS=N`): the
demo as a scaled deployment on this machine. On top of what `python -m rasa_bot.stack`
starts (rasa_bot/stack.py's `Stack`), it

- starts PostgreSQL 15 (/usr/lib/postgresql/15/bin, or $PG_BIN) on 127.0.0.1:5433 with
  its data in var/postgres/data (initdb the first time, password authentication; the
  password is kept in var/postgres/password) and its socket in var/postgres/run, unless
  that server is already running; creates the databases `agent_assist` (the product's
  history and records) and `rasa` (Rasa's tracker store) when missing;
- starts Redis (redis-server) on 127.0.0.1:6380 (no persistence: it holds the WebSocket
  fan-out, the shared rate limits and Rasa's conversation locks), unless one answers there;
- seeds the demo history into `agent_assist` once (retrieval.demo.generate --if-empty);
- serves the API with N worker processes behind one port (`python -m api --workers N`),
  and Rasa with a SQL tracker store (PostgreSQL) and a Redis lock store, so that any
  Rasa process, restarted or not, continues a conversation where it was.

On Ctrl-C / SIGTERM it stops what it started, PostgreSQL and Redis included; a PostgreSQL
or Redis that was already running is left running. The summary it prints says which.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from rasa_bot.stack import ROOT, Stack, StackError, train_bot

VAR = ROOT / "var"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = 5433
REDIS_PORT = 6380
PG_USER = "postgres"
PRODUCT_DB = "agent_assist"
RASA_DB = "rasa"
RASA_LOCK_DB = 1  # Redis database of Rasa's lock store (the API uses 0)


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb / pg_ctl refuse to run as root: as root, run them as the postgres user."""
    return ["runuser", "-u", PG_USER, "--", *cmd] if os.geteuid() == 0 else cmd


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Postgres:
    """A PostgreSQL 15 server of this project: data in `root`/data, socket in `root`/run,
    log in `root`/postgresql.log, the `postgres` user's password in `root`/password."""

    root: Path
    port: int = PG_PORT
    started: bool = field(default=False, init=False)  # by us: stop() stops it

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def password_file(self) -> Path:
        return self.root / "password"

    @property
    def password(self) -> str:
        return self.password_file.read_text(encoding="utf-8").strip()

    def url(self, database: str) -> str:
        """SQLAlchemy URL of `database`, without the password (set PGPASSWORD: `env`)."""
        return f"postgresql+psycopg://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def env(self) -> dict[str, str]:
        """What a libpq client (psycopg) needs besides `url`."""
        return {"PGPASSWORD": self.password}

    def _bin(self, name: str) -> str:
        path = PG_BIN / name
        if not path.exists():
            raise StackError(
                f"PostgreSQL 15 binaries not found in {PG_BIN} (no {name}): "
                "apt-get install postgresql-15, or set PG_BIN to their folder"
            )
        return str(path)

    def _run(self, cmd: list[str], what: str) -> None:
        proc = subprocess.run(_as_postgres(cmd), capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise StackError(f"{what} failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")

    def running(self) -> bool:
        """True when the server of `data` runs (pg_ctl status)."""
        if not (self.data / "PG_VERSION").exists():
            return False
        cmd = _as_postgres([self._bin("pg_ctl"), "status", "-D", str(self.data)])
        return subprocess.run(cmd, capture_output=True, check=False).returncode == 0

    def init(self) -> None:
        """initdb the first time: password (SCRAM) authentication for every connection."""
        if (self.data / "PG_VERSION").exists():
            if not self.password_file.exists():
                raise StackError(
                    f"{self.data} exists but {self.password_file} does not: remove "
                    f"{self.root} to start over (its databases are lost)"
                )
            return
        initdb = self._bin("initdb")
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            reach = subprocess.run(_as_postgres(["test", "-x", str(self.root)]), check=False)
            if reach.returncode != 0:
                raise StackError(
                    f"the {PG_USER} user cannot reach {self.root}: each folder on its path "
                    "must be searchable by others (chmod o+x)"
                )
        self.data.mkdir(exist_ok=True)
        password = secrets.token_urlsafe(18)
        self.password_file.touch(mode=0o600)
        self.password_file.write_text(password + "\n", encoding="utf-8")
        pwfile = self.root / ".initdb-password"
        pwfile.write_text(password + "\n", encoding="utf-8")
        if os.geteuid() == 0:  # initdb runs as postgres: it owns the data and reads pwfile
            shutil.chown(self.data, PG_USER)
            shutil.chown(pwfile, PG_USER)
        pwfile.chmod(0o600)
        try:
            cmd = [initdb, "-D", str(self.data), "-U", PG_USER, "-A", "scram-sha-256"]
            self._run(cmd + [f"--pwfile={pwfile}", "-E", "UTF8"], f"initdb {self.data}")
        finally:
            pwfile.unlink(missing_ok=True)

    def start(self, log: IO[str]) -> None:
        """Start the server unless it already runs (then `started` stays False)."""
        pg_ctl = self._bin("pg_ctl")
        self.init()
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.socket_dir, PG_USER)
        if self.running():
            log.write(f"[stack] PostgreSQL already running ({self.data}): left as it is\n")
            return
        if _port_open(self.port):
            raise StackError(
                f"port {self.port} is taken by another program, not the PostgreSQL of "
                f"{self.data}: choose another one (--pg-port / PG_PORT=)"
            )
        opts = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        logfile = self.root / "postgresql.log"
        if os.geteuid() == 0 and not logfile.exists():
            logfile.touch()
            shutil.chown(logfile, PG_USER)
        cmd = [pg_ctl, "-D", str(self.data), "-o", opts, "-l", str(logfile), "-w", "start"]
        self._run(cmd, f"PostgreSQL start (see {logfile})")
        self.started = True
        log.write(f"[stack] PostgreSQL started on 127.0.0.1:{self.port} ({self.data})\n")

    def ensure_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=PG_USER,
            password=self.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=10,
        ) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return
            conn.execute(f'CREATE DATABASE "{name}"')

    def forget(self) -> bool:
        """Delete this server's data (`make demo-reset`): every database in it, the demo
        history and Rasa's trackers included, so the next `make run-scaled` starts from a
        fresh, re-seeded one. Refused while the server runs; False when there was none."""
        if not self.data.exists():
            return False
        if self.running():
            raise StackError(
                f"PostgreSQL of {self.data} is running: stop `make run-scaled` (Ctrl-C) "
                "first, then reset the demo"
            )
        shutil.rmtree(self.data)
        self.password_file.unlink(missing_ok=True)
        return True

    def stop(self) -> None:
        if self.started:
            cmd = [self._bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
            subprocess.run(_as_postgres(cmd), capture_output=True, check=False)
            self.started = False


def redis_command(exe: str, port: int, root: Path, bind: str = "127.0.0.1") -> list[str]:
    """redis-server without persistence (what it holds is rebuilt by its clients), working
    directory and log file in `root`."""
    cmd = [exe, "--port", str(port), "--bind", bind, "--dir", str(root)]
    return cmd + ["--save", "", "--appendonly", "no", "--logfile", str(root / "redis.log")]


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as c:
            c.sendall(b"PING\r\n")
            return c.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class Redis:
    """redis-server on 127.0.0.1:`port`, working directory `root`, no persistence."""

    root: Path
    port: int = REDIS_PORT
    popen: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, log: IO[str], timeout_s: float = 15.0) -> None:
        if redis_answers(self.port):
            log.write(f"[stack] Redis already answers on 127.0.0.1:{self.port}: left as it is\n")
            return
        exe = shutil.which("redis-server")
        if exe is None:
            raise StackError("redis-server not found: apt-get install redis-server")
        if _port_open(self.port):
            raise StackError(
                f"port {self.port} is taken by a program that is not Redis: choose another "
                "one (--redis-port / REDIS_PORT=)"
            )
        self.root.mkdir(parents=True, exist_ok=True)
        cmd = redis_command(exe, self.port, self.root)
        self.popen = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout_s
        while not redis_answers(self.port):
            if self.popen.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise StackError(
                    f"redis-server did not start on 127.0.0.1:{self.port} "
                    f"(see {self.root / 'redis.log'})"
                )
            time.sleep(0.1)
        log.write(f"[stack] Redis started on 127.0.0.1:{self.port} (pid {self.popen.pid})\n")

    @property
    def started(self) -> bool:
        return self.popen is not None

    def stop(self) -> None:
        if self.popen is not None:
            if self.popen.poll() is None:
                self.popen.terminate()
                try:
                    self.popen.wait(10)
                except subprocess.TimeoutExpired:
                    self.popen.kill()
                    self.popen.wait()
            self.popen = None


def rasa_endpoints(pg: Postgres, redis_port: int) -> str:
    """The endpoints file's tracker store (Rasa 3.6 SQLTrackerStore on PostgreSQL) and lock
    store (RedisLockStore), added to the action endpoint that `Stack` writes."""
    return (
        "tracker_store:\n"
        "  type: SQL\n"
        "  dialect: postgresql\n"
        "  url: 127.0.0.1\n"
        f"  port: {pg.port}\n"
        f"  db: {RASA_DB}\n"
        f"  username: {PG_USER}\n"
        f"  password: {pg.password}\n"
        "lock_store:\n"
        "  type: redis\n"
        "  url: 127.0.0.1\n"
        f"  port: {redis_port}\n"
        f"  db: {RASA_LOCK_DB}\n"
    )


def seed_command(python: str, url: str, customers: int = 300, seed: int = 7) -> list[str]:
    """The demo history into the database `url`, unless it holds customers already."""
    cmd = [python, "-m", "retrieval.demo.generate", "--customers", str(customers)]
    return cmd + ["--seed", str(seed), "--out", url, "--if-empty"]


def scaled_api_vars(
    history_url: str, redis_url: str, var: Path, pg_env: dict[str, str]
) -> dict[str, str]:
    """The API's variables in the scaled deployment, added to stack.api_vars: the shared
    database and Redis, and the history indexes of this database under `var`, apart from
    the SQLite one's (each worker claims its own sub-folder: api/asgi.py)."""
    return {
        "AGENT_ASSIST_HISTORY_URL": history_url,
        "AGENT_ASSIST_REDIS_URL": redis_url,
        "AGENT_ASSIST_INDEX_DIR": str(var / "index-scaled"),
        "AGENT_ASSIST_MULTILINGUAL_INDEX_DIR": str(var / "index-multilingual-scaled"),
        **pg_env,
    }


def seed_history(pg: Postgres, customers: int = 300, seed: int = 7) -> str:
    """The demo history in the product's database, unless it holds customers already."""
    cmd = seed_command(sys.executable, pg.url(PRODUCT_DB), customers, seed)
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        env={**os.environ, **pg.env()},
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise StackError(f"seeding the demo history failed:\n{proc.stderr[-2000:]}")
    return proc.stdout.strip()


def worker_pids(pid: int) -> list[int]:
    """The uvicorn worker processes under the API process `pid` (Linux /proc)."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            try:
                cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline:  # not multiprocessing's resource tracker
                out.append(int(child))
    return sorted(out)


def wait_workers(stack: Stack, timeout_s: float = 300.0) -> list[int]:
    """The API's worker PIDs once all `stack.workers` of them answer /healthz (each worker
    loads its own model; the first to answer makes the API "ready")."""
    api = stack.procs["api"].popen
    deadline = time.monotonic() + timeout_s
    seen: set[int] = set()
    while True:
        pids = worker_pids(api.pid)
        if len(pids) >= stack.workers:
            seen |= _answering_pids(stack, pids)
            if seen >= set(pids):
                return pids
        if api.poll() is not None:
            raise StackError(f"the API exited with {api.returncode} (see its log lines above)")
        if time.monotonic() > deadline:
            raise StackError(f"{stack.workers} API workers not ready after {timeout_s:.0f} s")
        time.sleep(0.5)


def _answering_pids(stack: Stack, pids: list[int], tries: int = 20) -> set[int]:
    """Worker PIDs seen in /healthz answers (new connections land on any worker)."""
    import http.client
    import json

    got: set[int] = set()
    for _ in range(tries):
        conn = http.client.HTTPConnection("127.0.0.1", stack.api_port, timeout=5)
        try:
            conn.request("GET", "/healthz")
            got.add(int(json.loads(conn.getresponse().read())["pid"]))
        except (OSError, http.client.HTTPException, ValueError, KeyError):
            pass
        finally:
            conn.close()
        if got >= set(pids):
            break
    return got


@dataclass
class Scaled:
    """PostgreSQL + Redis + the scaled `Stack`. `pg_root` / `redis_root`: their folders
    (var/postgres, var/redis; the tests use throw-away ones); `env` is added to the API's
    environment after the database and Redis URLs."""

    workers: int = 2
    api_port: int = 8000
    rasa_port: int = 5005
    actions_port: int = 5055
    pg_port: int = PG_PORT
    redis_port: int = REDIS_PORT
    pg_root: Path = VAR / "postgres"
    redis_root: Path = VAR / "redis"
    customers: int = 300
    env: dict[str, str] = field(default_factory=dict)
    log: IO[str] = field(default_factory=lambda: sys.stdout)
    stack: Stack | None = field(default=None, init=False)
    pids: list[int] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.pg = Postgres(self.pg_root, self.pg_port)
        self.redis = Redis(self.redis_root, self.redis_port)

    def start(self, model: Path, timeout_s: float = 400.0) -> Stack:
        try:
            self.pg.start(self.log)
            for name in (PRODUCT_DB, RASA_DB):
                self.pg.ensure_database(name)
            self.redis.start(self.log)
            self.log.write(f"[stack] {seed_history(self.pg, self.customers)}\n")
            env = scaled_api_vars(
                self.pg.url(PRODUCT_DB), self.redis.url, self.pg_root.parent, self.pg.env()
            )
            env.update(self.env)
            self.stack = Stack(
                self.api_port,
                self.rasa_port,
                self.actions_port,
                env=env,
                log=self.log,
                workers=self.workers,
                endpoints=rasa_endpoints(self.pg, self.redis_port),
            )
            self.stack.start(model, timeout_s)
            self.pids = wait_workers(self.stack, timeout_s)
        except BaseException:
            self.stop()
            raise
        return self.stack

    def stop(self) -> None:
        if self.stack is not None:
            self.stack.stop()
        self.redis.stop()
        self.pg.stop()

    def summary(self) -> str:
        assert self.stack is not None
        s = self.stack

        def owner(started: bool) -> str:
            return "started here: stopped on exit" if started else "already running: left running"

        return "\n".join(
            [
                f"[stack] scaled deployment serving on {s.api_url}  (docs: /docs)",
                f"  API:        {s.api_url}, {len(self.pids)} workers, PIDs "
                f"{', '.join(map(str, self.pids))} (supervisor {s.procs['api'].popen.pid})",
                f"  Rasa:       {s.rasa_url} (tracker store: PostgreSQL db {RASA_DB}; "
                f"lock store: Redis db {RASA_LOCK_DB})",
                f"  actions:    http://127.0.0.1:{s.actions_port}",
                f"  PostgreSQL: {self.pg.url(PRODUCT_DB)} and db {RASA_DB}; data "
                f"{self.pg.data}, password in {self.pg.password_file} "
                f"({owner(self.pg.started)})",
                f"  Redis:      {self.redis.url} (working dir {self.redis.root}; "
                f"{owner(self.redis.started)})",
                "  Ctrl-C stops the API, Rasa and the actions, and what was started here.",
            ]
        )


def main(a: argparse.Namespace, serve: Callable[..., int]) -> int:
    """`python -m rasa_bot.stack --scaled`: `a` holds stack.main's arguments, `serve` is
    stack.serve (start, print the summary, supervise, stop)."""
    if a.no_bot:
        print("error: --scaled serves the bot; drop --no-bot", file=sys.stderr)
        return 2
    scaled = Scaled(a.workers, a.api_port, a.rasa_port, a.actions_port, a.pg_port, a.redis_port)
    return serve(lambda: scaled.start(train_bot(force=a.retrain)), scaled.summary, scaled.stop)


def forget_main(argv: list[str] | None = None) -> int:
    """`python -m rasa_bot.scaled --forget`: what `make demo-reset` runs for the scaled
    deployment's PostgreSQL (var/postgres)."""
    ap = argparse.ArgumentParser(prog="python -m rasa_bot.scaled")
    ap.add_argument(
        "--forget",
        action="store_true",
        required=True,
        help="delete var/postgres/data (refused while it runs)",
    )
    ap.parse_args(argv)
    pg = Postgres(VAR / "postgres")
    try:
        forgotten = pg.forget()
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{pg.data}: " + ("deleted" if forgotten else "none to delete"))
    return 0


if __name__ == "__main__":
    sys.exit(forget_main())
