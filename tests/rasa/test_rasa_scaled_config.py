"""The scaled deployment's pieces that need no process: Rasa's endpoints (the keys Rasa
3.6's SQLTrackerStore and RedisLockStore take), the API's command line, the worker's
index folders; and the one that needs a real server, `make demo-reset`'s forget."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from api.__main__ import main as api_main
from api.asgi import claim_folder
from rasa_bot.scaled import PG_BIN, Postgres, rasa_endpoints
from rasa_bot.stack import StackError, free_port


def test_rasa_endpoints_put_trackers_in_postgresql_and_locks_in_redis(tmp_path: Path) -> None:
    pg = Postgres(tmp_path, port=5999)
    pg.password_file.write_text("s3cret\n")
    endpoints = yaml.safe_load(
        "action_endpoint:\n  url: http://127.0.0.1:5055/webhook\n" + rasa_endpoints(pg, 6999)
    )
    assert endpoints["tracker_store"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "127.0.0.1",
        "port": 5999,
        "db": "rasa",
        "username": "postgres",
        "password": "s3cret",
    }
    assert endpoints["lock_store"] == {"type": "redis", "url": "127.0.0.1", "port": 6999, "db": 1}
    assert pg.url("agent_assist") == "postgresql+psycopg://postgres@127.0.0.1:5999/agent_assist"
    assert pg.env() == {"PGPASSWORD": "s3cret"}  # never in a URL, a log line or argv


def test_api_command_line_takes_a_worker_count(capsys) -> None:
    for bad in (["--workers"], ["--workers", "0"], ["--workers", "two"], ["--threads", "2"]):
        assert api_main(bad) == 2
        assert "--workers N" in capsys.readouterr().err


def test_each_worker_claims_its_own_index_folder(tmp_path: Path) -> None:
    first = claim_folder(tmp_path)
    second = claim_folder(tmp_path)  # the first's lock is held (by this process, here)
    assert (first.name, second.name) == ("worker-1", "worker-2")


@pytest.mark.integration
def test_demo_reset_forgets_the_scaled_postgresql_only_when_stopped(capsys) -> None:
    """`make demo-reset` (python -m rasa_bot.scaled --forget) deletes run-scaled's
    PostgreSQL data: refused while the server runs (nothing deleted), done once stopped."""
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 binaries not found in {PG_BIN}")
    root = Path(tempfile.mkdtemp(prefix="pg-forget-"))  # postgres must reach it: not tmp_path
    root.chmod(0o755)
    pg = Postgres(root / "postgres", port=free_port())
    try:
        with (root / "log").open("w") as log:
            pg.start(log)
        with pytest.raises(StackError, match="is running: stop `make run-scaled`"):
            pg.forget()
        assert (pg.data / "PG_VERSION").exists() and pg.password_file.exists()
        pg.stop()
        assert pg.forget() is True
        assert not pg.data.exists() and not pg.password_file.exists()
        assert pg.forget() is False  # nothing left: said, not an error
    finally:
        pg.stop()
        shutil.rmtree(root, ignore_errors=True)
