"""The scaled deployment (rasa_bot/scaled.py, `make run-scaled`) as real processes: a
throw-away PostgreSQL 15 and Redis under a temporary folder (never var/), the demo history
seeded into PostgreSQL, the API with two worker processes behind one port, Rasa with its
tracker store in PostgreSQL and its lock store in Redis, and the action server. A customer
gets bot answers; requests are served by both workers; Rasa restarted mid-conversation
still has the conversation's tracker, and continues the question it asked; the product's
records are in PostgreSQL."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from stack_fixtures import ASSIST_KEY, throwaway_scaled

from rasa_bot.scaled import PRODUCT_DB, RASA_DB, Scaled

pytestmark = pytest.mark.integration
DEMO_KEY = {"Authorization": f"Bearer {ASSIST_KEY}"}


@pytest.fixture(scope="module")
def scaled(bot_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scaled]:
    logfile = tmp_path_factory.mktemp("scaled-logs") / "stack.log"
    with throwaway_scaled(bot_model, logfile, "scaled-stack-") as s:
        print(s.summary(), file=sys.stderr)
        yield s


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
