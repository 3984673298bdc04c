"""`agent-assist import {customers,orders,tickets,events} FILE`: CSV or JSON lines (the
examples in docs/examples/) into the history store, each bad row reported, the good ones
stored, exit status 0 / 1 / 2."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.bulk_import import main
from api.config import get_settings
from api.storage.schema import open_database
from retrieval.store import SqlHistoryStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture
def db(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/shop.db"
    monkeypatch.setenv("AGENT_ASSIST_HISTORY_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _store(url: str) -> SqlHistoryStore:
    return SqlHistoryStore(open_database(url))


def _report(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_console_script_imports_a_csv_and_reports_its_bad_rows(tmp_path, db):
    errors = tmp_path / "errors.jsonl"
    run = [sys.executable, "-m", "api.cli", "import", "customers"]
    env = dict(os.environ, AGENT_ASSIST_HISTORY_URL=db)
    bad = EXAMPLES / "customers_with_errors.csv"
    done = subprocess.run(
        [*run, str(bad), "--errors", str(errors)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert "1 created, 0 updated, 0 unchanged, 3 errors" in done.stdout
    assert "line 3: C-1005: name" in done.stderr
    report = _report(errors)
    assert [(e["line"], e["id"]) for e in report] == [(3, "C-1005"), (4, "C-1006"), (5, "C-1007")]
    assert "customer_since" in report[1]["message"] and "attributes" in report[2]["message"]
    store = _store(db)
    try:
        assert store.get_customer("C-1004").city == "Dublin"  # the good row is stored
    finally:
        store.close()


def test_csv_and_jsonl_hold_the_same_records_and_a_second_import_changes_nothing(
    tmp_path, db, capsys
):
    for kind in ("customers", "orders", "tickets"):
        assert main([kind, str(EXAMPLES / f"{kind}.csv"), "--quiet"]) == 0
        assert "3 created" in capsys.readouterr().out
        assert main([kind, str(EXAMPLES / f"{kind}.jsonl"), "--quiet"]) == 0
        assert "0 created, 0 updated, 3 unchanged, 0 errors" in capsys.readouterr().out
    packed = tmp_path / "customers.jsonl.gz"
    packed.write_bytes(gzip.compress((EXAMPLES / "customers.jsonl").read_bytes()))
    assert main(["customers", str(packed), "--quiet"]) == 0
    assert "3 unchanged" in capsys.readouterr().out
    store = _store(db)
    try:
        (order,) = store.orders("C-1002")
        assert [i["sku"] for i in order.items] == ["CS-1", "CH-2"]  # a JSON cell of the CSV
        assert store.get_customer("C-1001").attributes == {"segment": "family"}
        (ticket,) = store.tickets("C-1001")
        assert "56 78" not in ticket.summary  # PII redacted, as in the API
    finally:
        store.close()


def test_a_bad_line_of_json_lines_is_one_error_among_good_rows(tmp_path, db, capsys):
    assert main(["customers", str(EXAMPLES / "customers.csv"), "--quiet"]) == 0
    errors = tmp_path / "errors.jsonl"
    bad = str(EXAMPLES / "orders_with_errors.jsonl")
    assert main(["orders", bad, "--errors", str(errors), "--quiet"]) == 1
    assert "1 created, 0 updated, 0 unchanged, 3 errors" in capsys.readouterr().out
    report = _report(errors)
    assert [e["line"] for e in report] == [2, 3, 4]
    assert "C-9999" in report[0]["message"] and report[2]["id"] is None
    store = _store(db)
    try:
        assert [o.id for o in store.orders("C-1001")] == ["ORD-200004"]
    finally:
        store.close()


def test_a_large_file_is_written_in_batches_with_each_error_on_its_line(tmp_path, db, capsys):
    rows = [{"id": f"C-{k}", "name": f"Customer {k}"} for k in range(1, 26)]
    rows[6]["tier"] = ""  # line 7
    rows[17]["name"] = ""  # line 18
    path = tmp_path / "many.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    assert main(["customers", str(path), "--batch", "4", "--errors", str(errors)]) == 1
    out = capsys.readouterr()
    assert "customers: 25 rows: 23 created" in out.out and "rows done" in out.err
    assert [(e["line"], e["id"]) for e in _report(errors)] == [(7, "C-7"), (18, "C-18")]
    store = _store(db)
    try:
        assert len(store.customer_ids()) == 23
    finally:
        store.close()


def test_unusable_input_exits_2_and_stores_nothing(tmp_path, db, capsys):
    no_name = tmp_path / "customers.csv"
    no_name.write_text("id,email\nC-1,a@example.com\n", encoding="utf-8")
    unknown = tmp_path / "orders.csv"
    unknown.write_text("id,customer_id,colour\n", encoding="utf-8")
    for argv in (
        ["customers", str(tmp_path / "missing.csv")],
        ["customers", str(tmp_path / "customers.xlsx")],
        ["customers", str(no_name)],
        ["orders", str(unknown)],
    ):
        assert main(argv) == 2, argv
    err = capsys.readouterr().err
    assert "lacks the required column(s) name" in err and "colour" in err
    assert "--format" in err
    store = _store(db)
    try:
        assert store.customer_ids() == []
    finally:
        store.close()
