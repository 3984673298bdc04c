"""Fixtures of the chaos test (tests/chaos/test_chaos.py). `bot_model` is the session
fixture of tests/stack_fixtures.py, which tests/conftest.py provides to every test (the
Rasa tests get it the same way). Here: the run's size (`scale`, env CHAOS_SCALE), the
webhook receiver, and the scaled stack under test with throw-away PostgreSQL and Redis
(the pattern of tests/rasa/test_rasa_scaled.py)."""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from chaos_plan import Scale, scale_from_env
from chaos_receiver import WebhookReceiver
from chaos_report import REPORT_DIR
from stack_fixtures import demo_env, start_or_fail

from rasa_bot.scaled import PG_BIN, Scaled
from rasa_bot.stack import free_port

WEBHOOK_SECRET = "chaos-" + secrets.token_urlsafe(24)  # AGENT_ASSIST_SECRET_KEY of the run


@pytest.fixture(scope="module")
def scale() -> Scale:
    return scale_from_env()


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver(WEBHOOK_SECRET).start()
    try:
        yield r
    finally:
        r.stop()


@pytest.fixture(scope="module")
def chaos_stack(bot_model: Path, scale: Scale, receiver: WebhookReceiver) -> Iterator[Scaled]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 binaries not found in {PG_BIN} (apt-get install postgresql-15)")
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not found (apt-get install redis-server)")
    # not pytest's tmp_path: its folders are private to root, PostgreSQL runs as postgres
    root = Path(tempfile.mkdtemp(prefix="chaos-stack-"))
    root.chmod(0o755)
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    logfile = REPORT_DIR / f"stack-{scale.name}.log"  # kept: what the processes said
    with logfile.open("w", encoding="utf-8") as log:
        s = Scaled(
            workers=scale.workers,
            api_port=free_port(),
            rasa_port=free_port(),
            actions_port=free_port(),
            pg_port=free_port(),
            redis_port=free_port(),
            pg_root=root / "postgres",
            redis_root=root / "redis",
            customers=20,
            env=demo_env(
                load_retrieval="false",  # the deployment is under test, not retrieval
                webhook_urls=json.dumps([receiver.url]),
                secret_key=WEBHOOK_SECRET,
            ),
            log=log,
        )
        start_or_fail(lambda: s.start(bot_model, timeout_s=400), log, logfile)
        try:
            yield s
        finally:
            s.stop()
            shutil.rmtree(root, ignore_errors=True)
