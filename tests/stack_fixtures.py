"""The real stack for the Rasa and the browser tests: API + Rasa + action server as
processes on free 127.0.0.1 ports, started through rasa_bot.stack ONCE per session, with the
demo intent model (var/models/intent), retrieval on (suggested replies; the response
bank's vectors are cached in var/cache/responses, so only a run after the bank or the
encoder changed embeds them) and a history database seeded into a temporary directory
(never var/history.db). Every test starts its own conversations; the queue and the
agent are shared, so a test finds its conversation by id, not by customer."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

from rasa_bot.scaled import PG_BIN, Scaled
from rasa_bot.stack import MODEL_DIR, RASA_VENV, ROOT, Stack, StackError, free_port, train_bot

INTENT_MODEL = ROOT / "var" / "models" / "intent"
RESPONSE_CACHE = ROOT / "var" / "cache" / "responses"  # the API's default, made absolute
# the demo credentials, set explicitly so that a developer's environment cannot change them
ASSIST_KEY = "demo-assist-key"
ADMIN_KEY = "demo-admin-key"
AGENT, AGENT_PASSWORD = "alice", "demo-password"


def demo_env(**extra: str) -> dict[str, str]:
    """The API's environment in the stack tests: demo mode, the demo intent model, no rate
    limit, the fixed demo credentials; `extra` on top (AGENT_ASSIST_ names)."""
    return {
        "AGENT_ASSIST_MODE": "demo",
        "AGENT_ASSIST_MODEL_DIR": str(INTENT_MODEL),
        "AGENT_ASSIST_RATE_LIMIT_PER_MINUTE": "0",
        "AGENT_ASSIST_DEMO_API_KEY": ASSIST_KEY,
        "AGENT_ASSIST_DEMO_ADMIN_KEY": ADMIN_KEY,
        "AGENT_ASSIST_DEMO_AGENT": AGENT,
        "AGENT_ASSIST_DEMO_AGENT_PASSWORD": AGENT_PASSWORD,
    } | {f"AGENT_ASSIST_{k.upper()}": v for k, v in extra.items()}


def start_or_fail(start: Callable[[], object], log: IO[str], logfile: Path) -> None:
    """`start()` the processes; when one does not come up, fail the test with the tail of
    the processes' log."""
    try:
        start()
    except StackError as exc:
        log.flush()
        tail = logfile.read_text(encoding="utf-8", errors="replace")[-4000:]
        pytest.fail(f"{exc}\n--- process logs ---\n{tail}", pytrace=False)


@contextmanager
def throwaway_scaled(
    model: Path, logfile: Path, prefix: str, workers: int = 2, **env: str
) -> Iterator[Scaled]:
    """The scaled deployment (rasa_bot/scaled.py) on free loopback ports, with a throw-away
    PostgreSQL 15 and Redis under a temporary folder (never var/), 20 demo customers and
    `demo_env(load_retrieval="false", **env)` (the deployment is under test, not retrieval:
    workers that each load MiniLM would slow the start on a small machine). Started, or the
    test fails with the tail of `logfile`; stopped and removed afterwards. Skips without
    PostgreSQL's binaries or redis-server."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 binaries not found in {PG_BIN} (apt-get install postgresql-15)")
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not found (apt-get install redis-server)")
    # not pytest's tmp_path: its folders are private to root, PostgreSQL runs as postgres
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)
    with logfile.open("w", encoding="utf-8") as log:
        s = Scaled(
            workers=workers,
            api_port=free_port(),
            rasa_port=free_port(),
            actions_port=free_port(),
            pg_port=free_port(),
            redis_port=free_port(),
            pg_root=root / "postgres",
            redis_root=root / "redis",
            customers=20,
            env=demo_env(load_retrieval="false", **env),
            log=log,
        )
        start_or_fail(lambda: s.start(model, timeout_s=400), log, logfile)
        try:
            yield s
        finally:
            s.stop()
            shutil.rmtree(root, ignore_errors=True)


def require_rasa_and_model() -> None:
    if not (RASA_VENV / "bin" / "rasa").exists():
        pytest.fail(f"{RASA_VENV} has no rasa: run `make install-rasa` first", pytrace=False)
    if not (INTENT_MODEL / "config.json").exists():
        pytest.fail(
            f"the demo intent model {INTENT_MODEL} is missing: run `make model` first",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def bot_model() -> Path:
    require_rasa_and_model()
    try:
        return train_bot(model_dir=MODEL_DIR)  # cached on the hash of its inputs
    except StackError as exc:
        pytest.fail(str(exc), pytrace=False)


def generate_history(target: Path | str, customers: int = 20) -> str:
    """A fresh history database (a SQLite file, or a database URL) with the six demo
    customers (C-0001 ... C-0006) and generated ones up to `customers`, timestamps
    relative to now; its URL."""
    subprocess.run(
        [sys.executable, "-m", "retrieval.demo.generate", "--customers", str(customers)]
        + ["--seed", "7", "--out", str(target)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return target if isinstance(target, str) else f"sqlite:///{target}"


@pytest.fixture(scope="session")
def history_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh history with the six demo customers and 14 generated ones."""
    return generate_history(tmp_path_factory.mktemp("stack") / "history.db")


@pytest.fixture(scope="session")
def stack_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every line the stack's processes print, prefixed with the process's name."""
    return tmp_path_factory.mktemp("logs") / "stack.log"


@pytest.fixture(scope="session")
def stack(bot_model: Path, history_url: str, stack_log: Path) -> Iterator[Stack]:
    with stack_log.open("w", encoding="utf-8") as log:
        folder = Path(history_url.removeprefix("sqlite:///")).parent
        s = Stack(
            free_port(),
            free_port(),
            free_port(),
            env=demo_env(
                history_url=history_url,
                # the history indexes beside that database, never the developer's var/
                index_dir=str(folder / "index"),
                multilingual_index_dir=str(folder / "index-multilingual"),
                load_retrieval="true",
                response_cache_dir=str(RESPONSE_CACHE),
            ),
            log=log,
        )
        start_or_fail(lambda: s.start(bot_model, timeout_s=400), log, stack_log)
        yield s
        s.stop()


def require_alive(stack: Stack, stack_log: Path) -> None:
    """Fail with the processes' last log lines when one of them has died."""
    dead = stack.dead()
    if dead:
        tail = stack_log.read_text(encoding="utf-8", errors="replace")[-4000:]
        pytest.fail(f"{', '.join(dead)} stopped\n--- process logs ---\n{tail}", pytrace=False)
