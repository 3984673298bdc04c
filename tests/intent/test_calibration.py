from __future__ import annotations

import numpy as np
import pytest

from intent.calibration import (
    expected_calibration_error,
    fit_temperature,
    softmax,
)
from intent.open_set import FAR, balanced_threshold
from intent.training_args import TrainingArgs


def test_temperature_recovers_the_scale_of_overconfident_logits():
    rng = np.random.default_rng(0)
    true_logits = rng.normal(size=(4000, 5)) * 2
    y = np.array([rng.choice(5, p=p) for p in softmax(true_logits)])
    t = fit_temperature(true_logits * 3.0, y)  # three times too confident
    assert t == pytest.approx(3.0, rel=0.15)


def test_ece_is_zero_when_confidence_matches_accuracy_and_large_when_not():
    conf = np.full(1000, 0.8)
    correct = np.arange(1000) % 5 != 0  # 80 % right
    assert expected_calibration_error(conf, correct) == pytest.approx(0.0, abs=1e-9)
    assert expected_calibration_error(np.full(1000, 0.99), correct) == pytest.approx(0.19)


def test_balanced_threshold_separates_known_from_unknown():
    known = np.array([0.9, 0.85, 0.95, 0.7, 0.8])
    unknown = np.array([0.3, 0.4, 0.5, 0.2])
    t = balanced_threshold(known, np.ones(5, bool), {FAR: unknown})
    assert 0.5 < t <= 0.7
    assert balanced_threshold(known, np.ones(5, bool), {}) == 0.0


def test_training_args_validate_and_round_trip():
    args = TrainingArgs(epochs=2, learning_rate=3e-5)
    assert TrainingArgs.from_dict(args.to_dict()) == args
    with pytest.raises(ValueError, match="unknown"):
        TrainingArgs.from_dict({"epochz": 3})
    for bad in ({"epochs": -1}, {"batch_size": 0}, {"device": "tpu"}, {"valid_fraction": 0.7}):
        with pytest.raises(ValueError):
            TrainingArgs(**bad)
