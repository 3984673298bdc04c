"""The classifier's int8 graph is served only where it decides like the float one
(intent/int8.py, intent/runtime.py): checked on the texts the trainer saves with the model,
remembered next to the graph, refused when it decides differently, and off by a setting."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from api.config import Settings
from api.inference import runtime
from intent import int8, onnx_runtime
from intent.int8 import (
    CHECK_TEXTS_FILE,
    Agreement,
    agreement,
    choose_check_texts,
    load_check_texts,
    save_check_texts,
)
from intent.modeling import EncoderClassifier, IntentModel
from intent.onnx_runtime import eager_encoder, export, quantized
from intent.runtime import serving, try_onnx_classifier
from intent.types import IntentPrediction

pytestmark = pytest.mark.integration  # a real MiniLM model (tiny_model_dir)


def prediction(intent: str, confidence: float) -> IntentPrediction:
    return IntentPrediction(intent, intent, confidence, intent == "oos", [])


def test_agreement_counts_decisions_and_confidence_moves():
    ref = [prediction("a", 0.9), prediction("b", 0.8), prediction("oos", 0.3), prediction("a", 0.5)]
    got = [prediction("a", 0.8), prediction("b", 0.8), prediction("a", 0.5), prediction("a", 0.5)]
    a = agreement(ref, got)
    assert (a.n, a.agreement) == (4, 0.75)
    assert a.confidence_shift == pytest.approx((0.1 + 0 + 0.2 + 0) / 4)
    assert a.passes(0.75, 0.1) and not a.passes(0.76, 0.1) and not a.passes(0.5, 0.05)
    assert not Agreement(0, 1.0, 0.0).passes(0.0, 1.0)  # nothing checked: nothing verified
    with pytest.raises(ValueError):
        agreement(ref, got[:2])


def test_check_texts_put_held_out_turns_first_and_stay_bounded():
    held = [f"held {i}" for i in range(5)]
    chosen = choose_check_texts(
        held, ["noisy"] * 50, [f"train {i}" for i in range(50)], ["bg 1", "bg 2"], limit=20
    )
    assert len(chosen) == 20 and len(set(chosen)) == 20
    assert set(chosen[:5]) == set(held)
    assert "noisy" in chosen  # duplicates collapse to one
    assert chosen == choose_check_texts(
        held, ["noisy"] * 50, [f"train {i}" for i in range(50)], ["bg 1", "bg 2"], limit=20
    )  # seeded
    assert len(choose_check_texts([f"h{i}" for i in range(3000)], [], [], [])) == 1000


def test_check_texts_file_round_trip_and_bad_files(tmp_path):
    save_check_texts(tmp_path, ["one", "two"])
    assert load_check_texts(tmp_path) == ["one", "two"]
    for bad in ("{not json", '{"texts": "one"}', '{"texts": [1, 2]}', "[]"):
        (tmp_path / CHECK_TEXTS_FILE).write_text(bad)
        assert load_check_texts(tmp_path) == []  # not verified, never a crash
    save_check_texts(tmp_path, [])
    assert not (tmp_path / CHECK_TEXTS_FILE).exists()


def test_a_trained_model_saves_its_check_texts(tiny_model_dir, tiny_examples):
    texts = load_check_texts(tiny_model_dir)
    assert 0 < len(texts) <= int8.CHECK_TEXTS_MAX
    assert {e.text for e in tiny_examples} & set(texts)  # its own turns (and noisy copies)
    assert IntentModel.load(tiny_model_dir).check_texts == texts


@pytest.fixture()
def model_copy(tiny_model_dir, tmp_path) -> Path:
    return Path(shutil.copytree(tiny_model_dir, tmp_path / "intent"))


def load_served(model_dir: Path, cache: Path, **settings: object) -> IntentModel:
    s = Settings(model_dir=model_dir, onnx_cache_dir=cache, **settings)
    model = IntentModel.load(model_dir)
    assert try_onnx_classifier(model, model_dir, runtime(s))
    return model


def test_the_int8_graph_serves_a_model_it_decides_like(model_copy, tmp_path, monkeypatch):
    model = load_served(model_copy, tmp_path / "cache")
    assert model.serving == "onnx-int8" and serving(model) == {"en": "onnx-int8"}
    assert model.runner is not None and ".int8-" in model.runner.path.name
    assert model.network is None  # the PyTorch copy released, as with the float graph

    float_model = load_served(model_copy, tmp_path / "cache", onnx_int8=False)
    assert float_model.serving == "onnx" and ".int8-" not in float_model.runner.path.name
    texts = model.check_texts
    same = agreement(float_model.predict(texts), model.predict(texts))
    assert same.agreement >= 0.995  # what the runtime measured holds

    record = json.loads(model.runner.path.with_suffix(".verified.json").read_text())
    assert record["figures"]["agreement"] >= 0.995 and record["figures"]["n"] == len(texts)

    calls: list[int] = []
    real = int8.agreement

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(int8, "agreement", counted)
    assert load_served(model_copy, tmp_path / "cache").serving == "onnx-int8"
    assert calls == []  # same graph, texts and operating point: the record is read

    config = json.loads((model_copy / "config.json").read_text())
    config["oos_threshold"] = min(0.99, config["oos_threshold"] + 0.05)  # recalibrated
    (model_copy / "config.json").write_text(json.dumps(config))
    load_served(model_copy, tmp_path / "cache")
    assert calls == [1]  # a new operating point is checked again


def test_an_int8_graph_that_decides_otherwise_is_refused(model_copy, tmp_path, monkeypatch, caplog):
    """A graph of the same shape whose head is shuffled stands in for a quantisation that
    went wrong: the model stays on the float graph and the log says why."""
    torch.manual_seed(1)
    model = IntentModel.load(model_copy)
    wrong = EncoderClassifier(eager_encoder(model_copy / "encoder"), len(model.labels))
    head = model.torch_network().head.state_dict()
    order = torch.tensor(np.roll(np.arange(len(model.labels)), 1))
    wrong.head.load_state_dict({k: v[order] for k, v in head.items()})
    skewed = export(wrong, tmp_path / "skewed.onnx")
    monkeypatch.setattr(onnx_runtime, "quantized", lambda path: skewed)
    with caplog.at_level(logging.WARNING, logger="intent.runtime"):
        served = load_served(model_copy, tmp_path / "cache")
    assert served.serving == "onnx" and served.runner.path.name.startswith("intent-")
    assert "int8 not verified" in caplog.text

    def broken(path):
        raise RuntimeError("no quantiser")

    monkeypatch.setattr(onnx_runtime, "quantized", broken)
    with caplog.at_level(logging.WARNING, logger="intent.runtime"):
        assert load_served(model_copy, tmp_path / "cache").serving == "onnx"
    assert "int8 quantisation failed" in caplog.text


def test_a_model_without_check_texts_stays_on_the_float_graph(model_copy, tmp_path):
    (model_copy / CHECK_TEXTS_FILE).unlink()
    model = load_served(model_copy, tmp_path / "cache")
    assert model.serving == "onnx" and not list((tmp_path / "cache").glob("*int8*"))


def test_the_int8_copy_is_written_once(model_copy, tmp_path):
    model = load_served(model_copy, tmp_path / "cache", onnx_int8=False)
    first = quantized(model.runner.path)
    mtime = first.stat().st_mtime_ns
    assert quantized(model.runner.path) == first and first.stat().st_mtime_ns == mtime
    assert first.stat().st_size < model.runner.path.stat().st_size / 2
