"""Production mode that can be run: `python -m api admin` creates the first admin key,
agents and keys on a fresh database without the demo, and `python -m api` refuses to
serve in production while demo credentials work in its database. Real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from api.conversations.store import ConversationStore
from api.security import AuthService
from api.storage.schema import open_database
from retrieval.store import SqlHistoryStore

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], db: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    environ = dict(os.environ) | {"AGENT_ASSIST_HISTORY_URL": db} | env
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        cwd=ROOT,
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_fresh_production_install_is_set_up_with_the_admin_cli(tmp_path):
    db = f"sqlite:///{tmp_path}/prod.db"
    first = _run(["admin", "bootstrap"], db)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert key.startswith("ak_")
    again = _run(["admin", "bootstrap"], db)  # only once
    assert again.returncode == 1 and "exists already" in again.stderr
    made = _run(["admin", "agents", "create", "carol", "--role", "supervisor"], db, "long-pass-1\n")
    assert made.returncode == 0, made.stderr
    assert "long-pass-1" not in made.stdout + made.stderr
    keys = _run(["admin", "keys", "create", "--name", "crm", "--scopes", "assist,ingest"], db)
    assert keys.returncode == 0, keys.stderr
    key_id = keys.stdout.split(":")[0]
    listed = _run(["admin", "agents", "list"], db).stdout
    assert "carol" in listed and "supervisor" in listed
    assert _run(["admin", "keys", "revoke", key_id], db).returncode == 0
    assert _run(["admin", "agents", "deactivate", "carol"], db).returncode == 0
    assert _run(["admin", "agents", "deactivate", "nobody"], db).returncode == 1

    store = SqlHistoryStore(open_database(db))
    auth = AuthService(store.engine, ConversationStore(store.engine))
    try:
        assert auth.authenticate(key).has_scope  # the bootstrap key works
        assert {k.id: k.revoked for k in auth.api_keys()}[key_id] is True
        (carol,) = [a for a in auth.agents() if a.id == "carol"]
        assert carol.active is False and carol.role.value == "supervisor"
    finally:
        auth.close()
        store.close()


def test_production_refuses_to_serve_while_demo_credentials_work(tmp_path):
    db = f"sqlite:///{tmp_path}/was-demo.db"
    store = SqlHistoryStore(open_database(db))
    auth = AuthService(store.engine, ConversationStore(store.engine))
    auth.create_api_key("demo admin key", ["admin"], "demo-admin-key")
    auth.create_agent("alice", "demo-password")
    auth.create_agent("sofia", "demo-password", role="supervisor")
    auth.close()
    store.close()
    env = {"AGENT_ASSIST_MODE": "production", "AGENT_ASSIST_SECRET_KEY": "a-real-secret-123"}
    out = _run([], db, **env)
    assert out.returncode == 2
    assert "demo credentials" in out.stderr and "alice" in out.stderr
    assert "'sofia' still has the demo password" in out.stderr  # the demo supervisor too
    assert "keys revoke" in out.stderr  # says what to do


def test_the_console_script_imports_journey_events(tmp_path):
    """`agent-assist import events FILE` ingests JSON lines through the store: idempotent
    on each id, PII redacted, each bad line reported with its number."""
    db = f"sqlite:///{tmp_path}/events.db"
    store = SqlHistoryStore(open_database(db))
    store.upsert_customers([{"id": "C-9", "name": "Ada Lovelace"}])
    store.close()
    lines = [
        '{"id": "e1", "customer_id": "C-9", "channel": "email", "type": "email_in", '
        '"ts": "2026-11-01T10:00:00Z", "text": "card 4111 1111 1111 1111 please"}',
        "",
        '{"id": "e2", "customer_id": "C-404", "channel": "web", "type": "page_view", '
        '"ts": "2026-11-01T10:00:00Z"}',
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ, AGENT_ASSIST_HISTORY_URL=db)
    run = [sys.executable, "-m", "api.cli", "import", "events", str(path)]
    first = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 1  # one line failed
    assert "1 created, 0 duplicates, 1 errors" in first.stdout
    assert "line 3:" in first.stderr and "C-404" in first.stderr
    again = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert "0 created, 1 duplicates" in again.stdout
    store = SqlHistoryStore(open_database(db))
    try:
        (event,) = store.events("C-9")
        assert "4111 1111" not in event.text and "[CARD visa ****1111]" in event.text
    finally:
        store.close()
