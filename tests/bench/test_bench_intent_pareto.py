"""bench/intent_pareto.py: each runtime loaded in its own process says what serves it,
scores the test file and times the whole analysis; the report holds every row and a chart."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bench import intent_pareto
from intent.data import Example, write_csv
from intent.modeling import IntentModel
from intent.ngram import NgramModel

pytestmark = pytest.mark.integration  # a real MiniLM model (tiny_model_dir)


def test_every_runtime_is_measured_in_its_own_process(
    tiny_model_dir, tiny_examples, tmp_path, monkeypatch
):
    test = tmp_path / "test.csv"
    write_csv(
        [
            Example("where is my parcel", "track_order"),
            Example("i want my money back", "get_refund"),
            Example("let me talk to a person", "contact_human_agent"),
        ],
        test,
    )
    assert not (tiny_model_dir / "ngram.json").exists()  # its operating point chose none
    assert intent_pareto.run_one("ngram", tiny_model_dir, [test], n=6, warmup=1) is None
    with_ngram = tmp_path / "with_ngram"
    shutil.copytree(tiny_model_dir, with_ngram)
    model = IntentModel.load(with_ngram)
    model.ngram = NgramModel.fit(
        [e.text for e in tiny_examples], np.array([model.labels.index(e.label) for e in tiny_examples]),
        len(model.labels),
    )  # fmt: skip
    model.ngram.save(with_ngram)
    rows = [
        intent_pareto.run_one(system, with_ngram, [test], n=6, warmup=1)
        for system in ("onnx", "onnx-int8", "ngram")
    ]
    assert [r["serving"] for r in rows] == ["onnx", "onnx-int8", "ngram"]
    for r in rows:
        assert 0.0 <= r["test:accuracy"] <= 1.0 and r["latency_n"] == 6
        assert 0 < r["latency_p50_ms"] <= r["latency_p99_ms"] and r["rss_mb"] > 0
    assert "test:accuracy_at_operating_point" in rows[1]  # the product's operating point
    assert "test:accuracy_at_operating_point" not in rows[2]  # n-gram: closed set only

    monkeypatch.setattr(intent_pareto, "RESULTS", tmp_path / "results")
    md = intent_pareto.write({"tiny": rows}, [], "pareto_test", "python -m bench.intent_pareto")
    text = md.read_text()
    assert all(f"| {s} | {s} |" in text for s in ("onnx", "onnx-int8", "ngram"))
    assert Path(tmp_path / "results" / "pareto_test.png").stat().st_size > 0
