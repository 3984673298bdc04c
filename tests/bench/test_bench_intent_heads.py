"""bench/intent_heads.py's pieces that need no training: the closed-set accuracy (the
out-of-scope column never wins) and the report."""

from __future__ import annotations

import json

import numpy as np

from bench import intent_heads


def test_closed_set_accuracy_ignores_the_out_of_scope_column() -> None:
    logits = np.array([[0.1, 0.9, 5.0], [2.0, 0.1, 3.0], [0.2, 0.3, 0.1]])
    gold = np.array([1, 0, 0])
    # column 2 is out of scope: rows 0 and 1 fall back to their best in-scope intent
    assert intent_heads.closed_set_accuracy(logits, gold, oos=2) == 2 / 3
    # without an out-of-scope column, column 2 wins rows 0 and 1
    assert intent_heads.closed_set_accuracy(logits, np.array([2, 2, 0]), oos=None) == 2 / 3
    assert logits[0, 2] == 5.0  # the caller's logits are not changed


def test_report_lists_every_head_per_data_set(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(intent_heads, "RESULTS", tmp_path)
    row = {
        "dataset": "hwu64_full",
        "seed": 13,
        "n_train": 8954,
        "n_test": 1076,
        "train_seconds": 12.0,
        "fine_tuning": {
            "encoder": "fine-tuned",
            "frozen_valid_accuracy": 0.894,
            "valid_accuracy_by_epoch": [0.9, 0.91],
            "best_epoch": 2,
        },
        "accuracy": {"final model": 0.921, "joint head": 0.9219, "plain LR, C = 1": 0.9266},
    }
    md = intent_heads.write([row], "python -m bench.intent_heads").read_text()
    assert "| hwu64_full | 92.10 | 92.19 | 92.66 | fine-tuned: frozen 0.894;" in md
    assert "(best epoch 2)" in md
    saved = json.loads((tmp_path / "intent_heads.json").read_text())
    assert saved["rows"] == [row]
