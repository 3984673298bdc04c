"""The out-of-scope benchmark's own arithmetic (bench/intent_oos.py): user data specs, the
test-only noiser, scoring at a threshold and the oracle threshold."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bench.intent_oos import (
    FAR,
    IN_SCOPE,
    NEAR,
    messy_text,
    oracle_threshold,
    parse_user_spec,
    score_at,
)


def test_user_dataset_spec_names_train_test_and_oos_label():
    spec = parse_user_spec("mybot=a/train.yml,a/test.csv,NO_NODES_DETECTED")
    assert (spec.name, spec.train, spec.test, spec.oos_label) == (
        "mybot", "a/train.yml", "a/test.csv", "NO_NODES_DETECTED",
    )  # fmt: skip
    assert parse_user_spec("x=t.csv,u.csv").oos_label == "oos"
    for bad in ("x=t.csv", "=t.csv,u.csv", "x y=t.csv,u.csv", "x=t.csv,,u"):
        with pytest.raises(ValueError, match="NAME=TRAIN,TEST"):
            parse_user_spec(bad)


def test_messy_text_is_seeded_lower_case_and_never_empty():
    text = "Hello! Could you please tell me where my account statement is?"
    a = messy_text(text, random.Random(1))
    assert a == messy_text(text, random.Random(1))
    assert a == a.lower() and "!" not in a and a.strip()
    assert messy_text("?!", random.Random(2))


def test_scoring_and_the_oracle_threshold():
    conf = np.array([0.9, 0.8, 0.4, 0.7, 0.3, -1.0])
    right = np.array([True, True, False, False, False, False])
    kind = np.array([IN_SCOPE, IN_SCOPE, IN_SCOPE, NEAR, FAR, FAR])
    at = score_at(conf, right, kind, 0.5)
    assert at["in_scope_accuracy"] == pytest.approx(2 / 3)
    assert at["oos_recall"] == pytest.approx(2 / 3) and at["oos_recall_far"] == 1.0
    assert at["overall"] == pytest.approx(4 / 6)
    t = oracle_threshold(conf, right, kind)
    assert 0.7 < t <= 0.8  # rejects the near turn, keeps two of three in-scope ones
    assert score_at(conf, right, kind, t)["overall"] == pytest.approx(5 / 6)
