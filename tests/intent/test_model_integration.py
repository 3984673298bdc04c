"""The real model: fine-tune MiniLM briefly, predict, save/load, CLI. Marked integration."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from intent.data import Example, write_csv
from intent.modeling import IntentModel, ModelLoadError

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def model(tiny_model_dir):
    return IntentModel.load(tiny_model_dir, threads=2)


def test_saved_directory_is_json_and_safetensors_only(tiny_model_dir):
    files = {
        p.relative_to(tiny_model_dir).as_posix() for p in tiny_model_dir.rglob("*") if p.is_file()
    }
    assert {
        "config.json",
        "head.safetensors",
        "encoder/model.safetensors",
        "encoder/config.json",
    } <= files
    assert not [f for f in files if f.endswith((".pkl", ".pickle", ".bin", ".pt"))]
    cfg = json.loads((tiny_model_dir / "config.json").read_text())
    assert cfg["labels"] == ["contact_human_agent", "get_refund", "out_of_scope", "track_order"]
    assert cfg["temperature"] > 0
    assert cfg["training"]["fine_tuning"]["encoder"] == "fine-tuned"  # fine_tune="always"
    assert cfg["training"]["n_background"] > 1000
    assert cfg["validation"]["held_out"] == "cross-fitted"


def test_out_of_domain_turns_fall_in_the_background_class(model):
    """No out-of-scope example was in the training data: the shipped background teaches it."""
    preds = model.predict(
        ["what's the weather like in paris tomorrow", "set an alarm for 6 am", "tell me a joke"]
    )
    assert all(p.out_of_scope and p.intent == "out_of_scope" for p in preds), preds
    assert not model.predict("where is my parcel")[0].out_of_scope


def test_small_data_trains_frozen_in_auto_mode_and_reports_its_phases(tiny_examples):
    from intent.trainer import train
    from intent.training_args import TrainingArgs

    m = train(tiny_examples, TrainingArgs(device="cpu"), progress=False)
    ft = m.config.training["fine_tuning"]
    assert ft["encoder"] == "frozen" and "fine_tune_min_examples" in ft["reason"]
    phases = m.config.training["phase_seconds"]
    assert {"embed", "background", "augment", "operating point", "final heads"} <= set(phases)
    assert "fine-tune" not in phases
    assert m.config.training["n_noisy_copies"] > 0
    curve = m.config.validation["operating_curve"]
    assert curve[0]["threshold"] == 0.0 and "oos_recall" in curve[0]
    assert m.predict("i need a refund")[0].intent == "get_refund"


def test_predicts_unseen_paraphrases(model):
    preds = model.predict(
        ["where's my parcel?", "I would like my money refunded", "put me through to a human being"]
    )
    assert [p.intent if not p.out_of_scope else p.ranking[0].name for p in preds] == [
        "track_order",
        "get_refund",
        "contact_human_agent",
    ]
    for p in preds:
        assert 0.0 <= p.confidence <= 1.0
        assert [r.name for r in p.ranking][0] == (
            p.intent if not p.out_of_scope else p.ranking[0].name
        )
        assert sum(r.confidence for r in p.ranking) <= 1.0 + 1e-6


def test_load_round_trip_gives_identical_probabilities(model, tiny_model_dir, tmp_path):
    texts = ["where is my order", "refund now"]
    model.save(tmp_path / "copy")
    again = IntentModel.load(tmp_path / "copy")
    np.testing.assert_allclose(again.probabilities(texts), model.probabilities(texts), atol=1e-6)


def test_missing_or_corrupt_model_directory_says_what_to_run(tmp_path):
    with pytest.raises(ModelLoadError, match="make model"):
        IntentModel.load(tmp_path / "missing")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "config.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="corrupt"):
        IntentModel.load(tmp_path / "bad")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "intent", *args], capture_output=True, text=True, timeout=600
    )


def test_cli_evaluate_writes_metrics_report_and_plots(tiny_model_dir, tmp_path):
    data = [
        Example("where is my package", "track_order"),
        Example("refund me", "get_refund"),
        Example("human please", "contact_human_agent"),
        Example("what's the capital of peru", "out_of_scope"),
    ]
    write_csv(data, tmp_path / "test.csv")
    r = _cli(
        "evaluate",
        "--model",
        str(tiny_model_dir),
        "--data",
        str(tmp_path / "test.csv"),
        "--report",
        str(tmp_path / "rep"),
        "--oos-label",
        "out_of_scope",
    )
    assert r.returncode == 0, r.stderr
    metrics = json.loads((tmp_path / "rep" / "metrics.json").read_text())
    assert metrics["n"] == 4 and metrics["n_oos"] == 1
    for key in ("accuracy", "macro_f1", "ece", "in_scope_accuracy", "oos_recall"):
        assert 0.0 <= metrics[key] <= 1.0
    assert (tmp_path / "rep" / "confusion_matrix.png").stat().st_size > 1000
    assert (tmp_path / "rep" / "operating_curve.png").stat().st_size > 1000
    report = (tmp_path / "rep" / "report.md").read_text()
    assert "| intent | precision |" in report and "## Out-of-scope operating curve" in report


def test_cli_predict_and_errors(tiny_model_dir, tmp_path):
    r = _cli("predict", "--model", str(tiny_model_dir), "where is order ORD-123456?")
    assert r.returncode == 0, r.stderr
    row = json.loads(r.stdout.splitlines()[0])
    assert row["ranking"][0]["name"] == "track_order"
    assert row["entities"][0]["type"] == "order_number"
    r = _cli("predict", "--model", str(tmp_path / "none"), "hi")
    assert r.returncode == 2 and "make model" in r.stderr
    r = _cli("train", "--data", str(tmp_path / "none.csv"), "--out", str(tmp_path / "m"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_cli_trains_from_rasa_yaml(tmp_path):
    (tmp_path / "nlu.yml").write_text(
        'version: "3.1"\nnlu:\n'
        "- intent: greet\n  examples: |\n    - hello\n    - hi there\n    - good morning\n"
        "    - hey\n    - hiya\n"
        "- intent: goodbye\n  examples: |\n    - bye\n    - see you later\n    - goodbye\n"
        "    - take care\n    - farewell\n"
    )
    r = _cli(
        "train", "--data", str(tmp_path / "nlu.yml"), "--out", str(tmp_path / "m"), "--epochs", "0"
    )
    assert r.returncode == 0, r.stderr
    assert "phases: load encoder" in r.stderr and "encoder: frozen" in r.stderr
    assert "operating point (cross-fitted held-out turns)" in r.stderr
    assert IntentModel.load(tmp_path / "m").predict("hello friend")[0].ranking[0].name == "greet"


def test_update_keeps_the_fine_tuned_encoder_and_learns_a_new_intent(tiny_model_dir, tmp_path):
    """Small edits refit heads and operating point only; the encoder stays byte for byte."""
    from safetensors.numpy import load_file

    data = [
        Example(t, label)
        for label, texts in {
            "track_order": ["where is my order", "track my package", "has my parcel shipped"],
            "get_refund": ["i want my money back", "refund please", "how do i get a refund"],
            "contact_human_agent": ["let me talk to a person", "i want a human agent", "agent"],
            "cancel_order": [
                "cancel my order",
                "i want to cancel the order i placed",
                "please cancel order 123",
                "stop my order from shipping, cancel it",
            ],
        }.items()
        for t in texts
    ]
    write_csv(data, tmp_path / "edited.csv")
    r = _cli(
        "train", "--data", str(tmp_path / "edited.csv"), "--out", str(tmp_path / "m"),
        "--update", str(tiny_model_dir),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "update: kept the encoder of" in r.stderr
    updated = IntentModel.load(tmp_path / "m")
    assert "cancel_order" in updated.labels
    assert updated.predict("cancel my order please")[0].ranking[0].name == "cancel_order"
    before = load_file(str(tiny_model_dir / "encoder" / "model.safetensors"))
    after = load_file(str(tmp_path / "m" / "encoder" / "model.safetensors"))
    assert all(np.array_equal(before[k], after[k]) for k in before)
    t = updated.config.training
    assert t["update"]["kept_encoder"] and "fine-tune" not in t["phase_seconds"]
    r = _cli("train", "--data", str(tmp_path / "edited.csv"), "--out", str(tmp_path / "x"),
             "--update", str(tmp_path / "none"))  # fmt: skip
    assert r.returncode == 2 and "no config.json" in r.stderr


def test_evaluate_counts_a_rejected_turn_as_the_datas_own_oos_label(model):
    """Held-out traffic names out-of-scope its own way; a rejection must count as right."""
    from intent.evaluate import evaluate

    data = [
        Example("where is my package", "track_order"),
        Example("set an alarm for 6 am tomorrow", "NO_NODES_DETECTED"),
        Example("what's the weather like in paris", "NO_NODES_DETECTED"),
    ]
    metrics, details = evaluate(model, data)
    assert metrics["oos_label"] == "NO_NODES_DETECTED" and metrics["n_oos"] == 2
    assert metrics["oos_recall"] == 1.0
    assert metrics["accuracy_at_operating_point"] == 1.0
    assert metrics["accuracy"] == 1.0  # closed set: only the turn whose label the model knows
    assert details["curve"][0]["threshold"] == 0.0
