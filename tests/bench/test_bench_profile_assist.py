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
