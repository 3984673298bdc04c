"""The runtime package stays apart from its demo-data tools (`retrieval.demo`) and from the
evaluations (`bench/`): importing every runtime module loads neither."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import retrieval
runtime = sorted(
    m.name for m in pkgutil.iter_modules(retrieval.__path__) if m.name not in ("demo", "migrations")
)
for name in runtime:
    importlib.import_module("retrieval." + name)
demo_or_bench = ("retrieval.demo", "bench")
leaked = sorted(m for m in sys.modules if m in demo_or_bench or m.startswith(("retrieval.demo.", "bench.")))
assert not leaked, leaked
print(",".join(runtime))
"""


def test_runtime_modules_do_not_import_the_demo_tools_or_bench():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    runtime = set(out.stdout.strip().split(","))
    assert {"assist", "context", "index", "journey", "ranker", "responses", "store"} <= runtime
    assert not runtime & {"generate", "history_builder", "demo_customers", "journey_eval"}
