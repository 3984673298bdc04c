"""bench/profile_assist.py's report: which py-spy samples count as inside the assist call,
and the share of each part."""

from __future__ import annotations

from bench.profile_assist import shares

RAW = [
    # inside the call: the builder reading the context through the ORM
    "run (threading.py:1);build (api/assist_payload.py:10);"
    "ContextBuilder.build (retrieval/context.py:5);execute (sqlalchemy/orm/session.py:9) 6\n",
    # inside the call: the classifier's ONNX session in a batcher
    "predict (intent/batching.py:3);OnnxRunner.__call__ (intent/onnx_runtime.py:7) 3\n",
    # inside the call but idle: a worker waiting on a lock, or on a condition
    "predict (intent/batching.py:3);acquire (<built-in>) (lock) 50\n",
    "predict (intent/batching.py:3);Condition.wait (threading.py:327) 20\n",
    # start-up: model loading, left out
    "<module> (api/main.py:1);warm_up (retrieval/assist.py:9);OnnxRunner.__call__ (x:1) 40\n",
    # not the call at all (the test client's own thread)
    "send (httpx/_client.py:1) 30\n",
    "malformed line without a count\n",
]


def test_only_busy_samples_inside_the_call_count() -> None:
    total, found = shares(RAW)
    assert total == 9
    assert found["SQLAlchemy (ORM + SQL)"] == 6 / 9
    assert found["context (history read)"] == 6 / 9  # parts overlap: the context uses the ORM
    assert found["ONNX Runtime (classifier + query encoder)"] == 3 / 9
    assert found["ranker (suggested replies)"] == 0.0


def test_no_samples_inside_the_call_gives_nothing() -> None:
    assert shares(["send (httpx/_client.py:1) 30\n"]) == (0, {})


def test_every_timed_part_names_a_function_that_exists() -> None:
    """A renamed function would leave its row at zero without a word: fail here instead."""
    import importlib

    from bench.profile_assist import TIMED

    for label, module, cls, name in TIMED:
        owner = getattr(importlib.import_module(module), cls) if cls else None
        assert callable(getattr(owner, name, None)), f"{label}: {module}.{cls}.{name}"


def test_the_part_timer_counts_the_outermost_call_and_restores_the_functions() -> None:
    import bench.profile_assist as pa
    from bench.profile_assist import PartTimer

    class Work:
        def outer(self, n: int) -> int:
            return self.outer(n - 1) + 1 if n else 0  # re-entrant: counted once per call

    timer = PartTimer()
    original = Work.outer
    saved = pa.TIMED
    pa.TIMED = (("outer", __name__, "Work", "outer"),)
    globals()["Work"] = Work
    try:
        timer.install()
        assert Work().outer(3) == 3
        assert Work().outer(2) == 2
        assert timer.calls["outer"] == 2
        assert timer.seconds["outer"] > 0
        table = pa.parts_table(timer, calls=2, cpu_ms=1.0)
        assert table.splitlines()[1].split()[0] == "outer"
        assert table.splitlines()[1].split()[-1] == "1.0"  # runs per call
        timer.reset()
        assert not timer.calls
    finally:
        timer.uninstall()
        pa.TIMED = saved
        del globals()["Work"]
    assert Work.outer is original


def test_the_parts_report_is_saved_as_figures_a_page_and_a_chart(tmp_path, monkeypatch) -> None:
    import json

    import bench.profile_assist as pa

    monkeypatch.setattr(pa, "RESULTS", tmp_path)
    rows = [
        {"part": "assist", "depth": 0, "ms_per_call": 10.0, "runs_per_call": 1.0},
        {"part": "history read (SQL)", "depth": 1, "ms_per_call": 2.5, "runs_per_call": 1.0},
    ]
    page = pa.save_parts(rows, calls=40, cpu_ms=20.0, name="parts")
    saved = json.loads((tmp_path / "parts.json").read_text())
    assert saved["parts"] == rows and saved["meta"]["cpu_ms_per_call"] == 20.0
    text = page.read_text()
    assert "| assist | 10.00 | 50 % | 1.0 |" in text
    assert "| &nbsp;&nbsp;history read (SQL) | 2.50 | 12 % | 1.0 |" in text
    assert (tmp_path / "parts.png").stat().st_size > 0 and "(parts.png)" in text
