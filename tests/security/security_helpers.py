"""Helpers of the security and fault tests: a real `python -m api` process (its output
captured to a file, stopped with SIGTERM, restartable on the same port and database), a
throw-away PostgreSQL server that a test may stop and start, and clients that speak to
the process over real sockets, from a chosen loopback address (127.0.0.0/8 is all
loopback on Linux) so that per-address limits can be driven by one test without
touching the others."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from postgres_fixtures import PG_BIN, _as_postgres
from stack_fixtures import generate_history
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from rasa_bot.stack import ROOT, answers, free_port

INTENT_MODEL = ROOT / "var" / "models" / "intent"
# the demo credentials, set explicitly so that a developer's environment cannot change them
ASSIST_KEY = "demo-assist-key"
ADMIN_KEY = "demo-admin-key"
AGENT, AGENT_PASSWORD = "alice", "demo-password"
HOST = "127.0.0.1"
WAIT_S = 60.0  # the most any wait for the server (an event, a socket close) may take


def seed_history(target: Path | str) -> str:
    """A fresh history database (a SQLite file, or a database URL) with the six demo
    customers and 14 generated ones; its URL."""
    return generate_history(target)


def require_model() -> None:
    if not (INTENT_MODEL / "config.json").exists():
        pytest.fail(
            f"the demo intent model {INTENT_MODEL} is missing: run `make model` first",
            pytrace=False,
        )


def server_env(history_url: str, **extra: str) -> dict[str, str]:
    """The API's environment: demo mode, the demo model, no bot (every turn goes to a
    person), retrieval off (a short start), the given history database."""
    return {
        "AGENT_ASSIST_MODE": "demo",
        "AGENT_ASSIST_HISTORY_URL": history_url,
        "AGENT_ASSIST_MODEL_DIR": str(INTENT_MODEL),
        "AGENT_ASSIST_RASA_URL": "",
        "AGENT_ASSIST_LOAD_RETRIEVAL": "false",
        "AGENT_ASSIST_DEMO_API_KEY": ASSIST_KEY,
        "AGENT_ASSIST_DEMO_ADMIN_KEY": ADMIN_KEY,
        "AGENT_ASSIST_DEMO_AGENT": AGENT,
        "AGENT_ASSIST_DEMO_AGENT_PASSWORD": AGENT_PASSWORD,
        **extra,
    }


@dataclass
class ApiServer:
    """`python -m api` on 127.0.0.1:`port`; stdout and stderr appended to `log_path`."""

    port: int
    env: Mapping[str, str]
    log_path: Path
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def start(self, timeout_s: float = 240.0) -> ApiServer:
        env = dict(os.environ)
        env.update(
            {
                "AGENT_ASSIST_HOST": HOST,
                "AGENT_ASSIST_PORT": str(self.port),
                "PYTHONUNBUFFERED": "1",
                "HF_HUB_OFFLINE": "1",
                "TOKENIZERS_PARALLELISM": "false",
            }
        )
        env.update(self.env)
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "api"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as a whole
            )
        deadline = time.monotonic() + timeout_s
        while not answers(f"{self.url}/healthz"):
            if self.popen.poll() is not None:
                pytest.fail(
                    f"the API exited with {self.popen.returncode} while starting:\n"
                    + self.log_tail(),
                    pytrace=False,
                )
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"the API did not answer in {timeout_s:.0f} s:\n" + self.log_tail())
            time.sleep(0.25)
        return self

    def stop(self, grace_s: float = 30.0) -> int | None:
        """SIGTERM, then SIGKILL after `grace_s`; the exit status (None if killed)."""
        p, self.popen = self.popen, None
        if p is None or p.poll() is not None:
            return None if p is None else p.returncode
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGTERM)
        try:
            return p.wait(grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            return None

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, chars: int = 6000) -> str:
        return self.log_text()[-chars:]

    def client(
        self, token: str | None = None, source: str | None = None, timeout_s: float = 60.0
    ) -> httpx.Client:
        """An HTTP client, from loopback address `source` when given."""
        transport = httpx.HTTPTransport(local_address=source) if source else None
        return httpx.Client(
            base_url=self.url, headers=bearer(token), timeout=timeout_s, transport=transport
        )


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


# ---------------------------------------------------------------------- API shortcuts


def login(server: ApiServer, agent: str = AGENT, password: str = AGENT_PASSWORD) -> str:
    with server.client() as c:
        r = c.post("/v1/auth/login", json={"agent_id": agent, "password": password})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def create_agent(server: ApiServer, agent: str, role: str = "agent") -> str:
    """A new agent account through the admin API; returns its password."""
    password = "pw-" + uuid.uuid4().hex
    with server.client(ADMIN_KEY) as c:
        r = c.post(
            "/v1/agents",
            json={"agent_id": agent, "password": password, "display_name": agent, "role": role},
        )
    assert r.status_code == 201, r.text
    return password


def start_conversation(server: ApiServer, customer_id: str | None = "C-0002") -> tuple[str, str]:
    """(conversation id, the customer's token); a known customer through the assist key."""
    with server.client(ASSIST_KEY if customer_id else None) as c:
        r = c.post("/v1/conversations", json={"customer_id": customer_id})
    assert r.status_code == 201, r.text
    return r.json()["conversation"]["id"], r.json()["token"]


def customer_says(server: ApiServer, conversation_id: str, token: str, text: str) -> dict[str, Any]:
    with server.client(token) as c:
        r = c.post(f"/v1/conversations/{conversation_id}/messages", json={"text": text})
    assert r.status_code == 200, r.text
    return dict(r.json())


def queued_conversation(
    server: ApiServer, text: str = "I want to talk to a person"
) -> tuple[str, str]:
    """A conversation waiting for a person (no bot: the first message queues it)."""
    conversation_id, token = start_conversation(server)
    out = customer_says(server, conversation_id, token, text)
    assert out["state"] == "queued", out
    return conversation_id, token


def transcript(server: ApiServer, conversation_id: str) -> list[dict[str, Any]]:
    """Every turn of a conversation, as agents see it."""
    with server.client(ADMIN_KEY) as c:
        r = c.get(f"/v1/conversations/{conversation_id}")
    assert r.status_code == 200, r.text
    return list(r.json()["turns"])


# ---------------------------------------------------------------------- WebSockets


def ws_open(server: ApiServer, path: str, source: str = HOST) -> ClientConnection:
    """An open WebSocket on `path`, from loopback address `source`; nothing sent yet."""
    sock = socket.create_connection((HOST, server.port), timeout=WAIT_S, source_address=(source, 0))
    return connect(server.ws_url + path, sock=sock, proxy=None, open_timeout=WAIT_S)


def send_auth(ws: ClientConnection, token: str) -> None:
    """The first message; a socket the server has already closed is no error."""
    with contextlib.suppress(ConnectionClosed):
        ws.send(json.dumps({"type": "auth", "token": token}))


def close_code(ws: ClientConnection) -> int | None:
    """Read until the server closes the socket; its close code."""
    try:
        while True:
            ws.recv(timeout=WAIT_S)
    except ConnectionClosed as exc:
        return exc.rcvd.code if exc.rcvd is not None else None
    except TimeoutError:
        pytest.fail(f"the server did not close the socket within {WAIT_S:.0f} s")


class Frames:
    """A subscribed WebSocket (first-message auth), every frame it receives collected by
    a thread as parsed JSON."""

    def __init__(self, server: ApiServer, path: str, token: str, source: str = HOST) -> None:
        self.ws = ws_open(server, path, source)
        send_auth(self.ws, token)
        hello = json.loads(self.ws.recv(timeout=WAIT_S))
        assert hello["type"] == "subscribed", hello
        self.frames: list[dict[str, Any]] = [hello]
        self.raw: list[str] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with contextlib.suppress(ConnectionClosed, OSError):
            for message in self.ws:
                text = message if isinstance(message, str) else message.decode()
                with self._lock:
                    self.raw.append(text)
                    self.frames.append(json.loads(text))

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.frames)

    def wait_for(self, what: str, match: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            found = next((f for f in self.snapshot() if match(f)), None)
            if found is not None:
                return found
            time.sleep(0.05)
        pytest.fail(f"no {what} within {WAIT_S:.0f} s; frames: {self.snapshot()}")

    def wait_closed(self) -> int | None:
        """Wait for the server to close the socket; its close code."""
        self._thread.join(WAIT_S)
        if self._thread.is_alive():
            pytest.fail(f"the server did not close the socket within {WAIT_S:.0f} s")
        return self.ws.close_code

    def close(self) -> None:
        self.ws.close()
        self._thread.join(WAIT_S)

    def __enter__(self) -> Frames:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------- PostgreSQL


class PostgresInstance:
    """A throw-away PostgreSQL server of its own (started as `tests/postgres_fixtures.py`
    starts the shared one), which a test may stop and start again: on the same port and
    socket directory, with the same data."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
            pytest.skip(f"PostgreSQL server binaries not found in {PG_BIN}")
        self.root = Path(tempfile.mkdtemp(prefix="security-pg-"))
        self.data = self.root / "data"
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.data, "postgres")
        self.port = free_port()
        self._pg(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"],
        )

    def _pg(self, cmd: list[str]) -> None:
        proc = subprocess.run(_as_postgres(cmd), capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.fail(f"{' '.join(cmd[:2])} failed:\n{proc.stdout}\n{proc.stderr}")

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses='' -c fsync=off"
        log = str(self.root / "log")
        self._pg(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", log, "-w", "start"]
        )

    def stop(self, mode: str = "fast") -> None:
        self._pg([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def create_database(self) -> str:
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            host=str(self.root), port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@/{name}?host={self.root}&port={self.port}"

    def remove(self) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def postgres() -> Iterator[PostgresInstance]:
    pg = PostgresInstance()
    try:
        pg.start()
        yield pg
    finally:
        pg.remove()
