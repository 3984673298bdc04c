"""The scaled deployment (rasa_bot/scaled.py, `make run-scaled`) as real processes: a
throw-away PostgreSQL 15 and Redis under a temporary folder (never var/), the demo history
seeded into PostgreSQL, the API with two worker processes behind one port, Rasa with its
tracker store in PostgreSQL and its lock store in Redis, and the action server. A customer
gets bot answers; requests are served by both workers; Rasa restarted mid-conversation
still has the conversation's tracker, and continues the question it asked; the product's
records are in PostgreSQL."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from stack_fixtures import ASSIST_KEY, demo_env, start_or_fail

from rasa_bot.scaled import PG_BIN, PRODUCT_DB, RASA_DB, Scaled
from rasa_bot.stack import free_port

pytestmark = pytest.mark.integration
DEMO_KEY = {"Authorization": f"Bearer {ASSIST_KEY}"}


@pytest.fixture(scope="module")
def scaled(bot_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 binaries not found in {PG_BIN} (apt-get install postgresql-15)")
    # not pytest's tmp_path: its folders are private to root, PostgreSQL runs as postgres
    root = Path(tempfile.mkdtemp(prefix="scaled-stack-"))
    root.chmod(0o755)
    logfile = tmp_path_factory.mktemp("scaled-logs") / "stack.log"
    with logfile.open("w", encoding="utf-8") as log:
        s = Scaled(
            workers=2,
            api_port=free_port(),
            rasa_port=free_port(),
            actions_port=free_port(),
            pg_port=free_port(),
            redis_port=free_port(),
            pg_root=root / "postgres",
            redis_root=root / "redis",
            customers=20,
            # the deployment is under test, not retrieval: two workers that each load
            # MiniLM would double the start on a small machine
            env=demo_env(load_retrieval="false"),
            log=log,
        )
        start_or_fail(lambda: s.start(bot_model, timeout_s=400), log, logfile)
        try:
            print(s.summary(), file=sys.stderr)
            yield s
        finally:
            s.stop()
            shutil.rmtree(root, ignore_errors=True)


def say(api: httpx.Client, conversation: dict[str, Any], text: str) -> dict[str, Any]:
    r = api.post(
        f"/v1/conversations/{conversation['conversation']['id']}/messages",
        json={"text": text},
        headers={"Authorization": f"Bearer {conversation['token']}"},
    )
    assert r.status_code == 200, r.text
    return r.json()


def bot_text(out: dict[str, Any]) -> str:
    return " ".join(r["text"] for r in out["replies"] if r["role"] == "bot")


def tracker_events(scaled: Scaled, conversation_id: str) -> list[dict[str, Any]]:
    assert scaled.stack is not None
    r = httpx.get(
        f"{scaled.stack.rasa_url}/conversations/{conversation_id}/tracker",
        params={"token": scaled.stack.token},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return list(r.json()["events"])


def query(scaled: Scaled, database: str, sql: str, *args: object) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(
        host="127.0.0.1",
        port=scaled.pg.port,
        user="postgres",
        password=scaled.pg.password,
        dbname=database,
    ) as conn:
        return conn.execute(sql, args).fetchall()


def test_scaled_stack_two_workers_and_rasa_state_in_postgresql(
    scaled: Scaled, bot_model: Path
) -> None:
    stack = scaled.stack
    assert stack is not None
    with httpx.Client(base_url=stack.api_url, timeout=30.0) as api:
        # (a) a customer conversation through the API gets the bot's answers
        r = api.post("/v1/conversations", json={"customer_id": "C-0003"}, headers=DEMO_KEY)
        assert r.status_code == 201, r.text
        conversation = r.json()
        cid = conversation["conversation"]["id"]
        asked = say(api, conversation, "where is my order?")
        assert asked["state"] == "bot", asked
        text = bot_text(asked)
        assert "ORD-20388" in text and "ORD-20431" in text and "Which one" in text

    # (b) requests on the one port are served by both worker processes (a new
    # connection per request: the kernel hands each to whichever worker accepts it)
    assert len(scaled.pids) == 2
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while seen != set(scaled.pids) and time.monotonic() < deadline:
        r = httpx.get(f"{stack.api_url}/healthz", timeout=10)
        assert r.status_code == 200, r.text
        seen.add(int(r.json()["pid"]))
    assert seen == set(scaled.pids), (seen, scaled.pids)
    assert stack.procs["api"].popen.pid not in seen  # the supervisor serves nothing

    # (c) Rasa's tracker is in PostgreSQL: a restarted Rasa still has the conversation's
    # events, and takes the answer to the question the first process asked
    said = [e["text"] for e in tracker_events(scaled, cid) if e["event"] == "user"]
    assert said == ["where is my order?"], said
    assert query(scaled, RASA_DB, "SELECT count(*) FROM events WHERE sender_id = %s", cid)[0][0]
    old_pid = stack.procs["rasa"].popen.pid
    stack.stop_one("rasa")
    stack.start_rasa(bot_model)
    stack.wait_ready(300, ["rasa"])
    assert stack.procs["rasa"].popen.pid != old_pid
    said = [e["text"] for e in tracker_events(scaled, cid) if e["event"] == "user"]
    assert said == ["where is my order?"], said
    with httpx.Client(base_url=stack.api_url, timeout=30.0) as api:
        right = say(api, conversation, "ORD-20431")
    assert right["state"] == "bot", right
    assert "Your order ORD-20431" in bot_text(right), right

    # (d) the product's tables are in PostgreSQL
    rows = query(scaled, PRODUCT_DB, "SELECT customer_id FROM conversations WHERE id = %s", cid)
    assert rows == [("C-0003",)], rows
    turns = query(
        scaled,
        PRODUCT_DB,
        "SELECT count(*) FROM conversation_turns WHERE conversation_id = %s",
        cid,
    )
    assert turns[0][0] >= 4, turns  # two customer turns, the bot's answers
