"""The journey-stage evaluation of the retrieval benchmark (bench/retrieval_stage.py)."""

from __future__ import annotations

import json

from bench.retrieval_stage import DEFAULT_SET, build, load, run


def test_the_shipped_set_is_what_the_scenarios_make():
    made = "".join(json.dumps(case) + "\n" for case in build())
    assert made == DEFAULT_SET.read_text(encoding="utf-8"), "re-run python -m bench.retrieval_stage"


def test_run_reports_accuracy_per_stage_and_the_errors():
    result = run()
    assert result["cases"] == len(load()) == 128
    assert set(result["per_stage"]) == {c.label for c in load()}
    assert 0.88 <= result["accuracy"] <= 1
    assert sum(result["errors"].values()) == round(result["cases"] * (1 - result["accuracy"]))
