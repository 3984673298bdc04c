"""bench/api.py's measuring side: CPU and memory of the whole served process tree (the
uvicorn supervisor and its workers), and the baseline checkout it serves side by side."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.api import Databases, cpu_s, rss_mb, tree_pids, unpack

ROOT = Path(__file__).resolve().parents[2]
# a parent that starts a child which burns CPU, then both sleep
PARENT = (
    "import subprocess, sys, time\n"
    "child = subprocess.Popen([sys.executable, '-c', "
    "'import time\\nt = time.process_time()\\nwhile time.process_time() - t < 0.3: pass\\n"
    "print(1, flush=True)\\ntime.sleep(60)'], stdout=sys.stdout)\n"
    "time.sleep(60)\n"
)


def test_the_process_tree_counts_its_children():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "1"  # the child has burnt its CPU
        pids = tree_pids(parent.pid)
        assert pids[0] == parent.pid and len(pids) == 2
        child = pids[1]
        own = Path(f"/proc/{parent.pid}/stat").read_text().rsplit(")", 1)[1].split()
        parent_only = (int(own[11]) + int(own[12])) / os.sysconf("SC_CLK_TCK")
        assert cpu_s(parent.pid) >= 0.25 > parent_only  # the child's 0.3 s are counted
        assert rss_mb(parent.pid) > rss_mb(child) > 0
    finally:
        for pid in tree_pids(parent.pid)[::-1]:
            subprocess.run(["kill", str(pid)], check=False)
        parent.wait(10)


def test_the_baseline_is_the_commit_unpacked(tmp_path):
    sha, dest = unpack("HEAD", tmp_path)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    assert sha == head and dest.name == f"baseline-{sha}"
    tracked = subprocess.run(
        ["git", "show", "HEAD:bench/api.py"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert (dest / "bench" / "api.py").read_text() == tracked
    assert not (dest / ".venv").exists() and not (dest / "var").exists()


def test_each_server_gets_a_fresh_sqlite_database(tmp_path):
    dbs = Databases(tmp_path, postgres=False)
    url = dbs.fresh("server0")
    db = tmp_path / "server0.db"
    db.write_text("old")
    assert dbs.fresh("server0") == url == f"sqlite:///{db}"
    assert not db.exists() and dbs.env() == {}
