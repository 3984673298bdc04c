"""ONNX Runtime versions of the MiniLM networks give PyTorch's numbers (intent/onnx_runtime.py,
intent/runtime.py). Unit tests use a tiny random BERT; the integration test, the real one."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import AutoTokenizer, BertConfig, BertModel

from api.config import Settings
from api.inference import runtime
from intent import onnx_runtime
from intent.encoder import base_model_path
from intent.modeling import EncoderClassifier, IntentModel, ModelConfig
from intent.onnx_runtime import (
    PROBE_TEXTS,
    OnnxEncoder,
    PooledEncoder,
    classifier_runner,
    max_abs_diff,
)
from intent.runtime import try_onnx_classifier as _try

ROOT = Path(__file__).resolve().parents[2]


def tiny_bert() -> BertModel:
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=30522,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
    )
    return BertModel(config).eval()


@pytest.fixture(scope="module")
def tiny_intent_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_path()))
    network = EncoderClassifier(tiny_bert(), 3)
    model = IntentModel(ModelConfig(labels=["a", "b", "c"], max_length=32), network, tokenizer)
    return model.save(tmp_path_factory.mktemp("tiny") / "intent")


def test_classifier_session_matches_pytorch_and_is_cached(tiny_intent_dir, tmp_path):
    model = IntentModel.load(tiny_intent_dir)
    runner = classifier_runner(model, tiny_intent_dir, tmp_path)
    exported = list(tmp_path.glob("intent-*.onnx"))
    assert len(exported) == 1
    reference = model.network_logits(PROBE_TEXTS)
    torch_preds = model.predict(PROBE_TEXTS)
    model.use_runner(runner)
    assert np.abs(model.network_logits(PROBE_TEXTS) - reference).max() < 1e-4
    assert [p.intent for p in model.predict(PROBE_TEXTS)] == [p.intent for p in torch_preds]
    mtime = exported[0].stat().st_mtime_ns
    classifier_runner(model, tiny_intent_dir, tmp_path)  # same weights: the cached file
    assert exported[0].stat().st_mtime_ns == mtime
    model.use_runner(None)
    np.testing.assert_array_equal(model.network_logits(PROBE_TEXTS), reference)


def test_the_check_is_remembered_for_the_same_session_file(tiny_intent_dir, tmp_path, monkeypatch):
    settings = Settings(model_dir=tiny_intent_dir, onnx_cache_dir=tmp_path)
    assert _try(IntentModel.load(tiny_intent_dir), settings.model_dir, runtime(settings))
    (session,) = tmp_path.glob("intent-*.onnx")
    assert (
        json.loads(session.with_suffix(".verified.json").read_text())["figures"]["max_abs_diff"]
        < 1e-4
    )

    def no_second_check(*args, **kwargs):
        raise AssertionError("PyTorch ran again")

    monkeypatch.setattr(onnx_runtime, "max_abs_diff", no_second_check)
    model = IntentModel.load(tiny_intent_dir)
    assert _try(model, settings.model_dir, runtime(settings)) and model.runner is not None

    calls: list[int] = []
    with session.open("ab") as f:  # other bytes: measured again
        f.write(b"\0")
    assert onnx_runtime.verified_diff(session, lambda: calls.append(1) or 0.5) == 0.5
    assert onnx_runtime.verified_diff(session, lambda: calls.append(1) or 0.0) == 0.5
    assert calls == [1]


def test_new_weights_get_a_new_export(tiny_intent_dir, tmp_path):
    a = onnx_runtime.weights_key(tiny_intent_dir / "head.safetensors")
    other = tmp_path / "head.safetensors"
    other.write_bytes((tiny_intent_dir / "head.safetensors").read_bytes() + b" ")
    assert onnx_runtime.weights_key(other) != a


def test_service_uses_onnx_only_when_it_matches(tiny_intent_dir, tmp_path, monkeypatch):
    settings = Settings(model_dir=tiny_intent_dir, onnx_cache_dir=tmp_path / "good")
    model = IntentModel.load(tiny_intent_dir)
    assert _try(model, settings.model_dir, runtime(settings))
    assert model.runner is not None

    real = onnx_runtime.classifier_runner

    class Skewed:
        def __init__(self, runner: onnx_runtime.OnnxRunner) -> None:
            self.runner, self.path = runner, runner.path

        def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
            return self.runner(ids, mask) + 0.01

    monkeypatch.setattr(onnx_runtime, "classifier_runner", lambda *a, **k: Skewed(real(*a, **k)))
    skewed = Settings(model_dir=tiny_intent_dir, onnx_cache_dir=tmp_path / "skewed")
    model = IntentModel.load(tiny_intent_dir)
    assert not _try(model, skewed.model_dir, runtime(skewed))
    assert model.runner is None  # stays on PyTorch

    def broken(*args, **kwargs):
        raise RuntimeError("no exporter")

    monkeypatch.setattr(onnx_runtime, "classifier_runner", broken)
    assert not _try(model, settings.model_dir, runtime(settings))
    assert model.runner is None


def test_verified_onnx_releases_the_pytorch_copy_unless_kept(tiny_intent_dir, tmp_path):
    reference = IntentModel.load(tiny_intent_dir).predict(PROBE_TEXTS)
    released = IntentModel.load(tiny_intent_dir)
    settings = Settings(model_dir=tiny_intent_dir, onnx_cache_dir=tmp_path)
    assert _try(released, settings.model_dir, runtime(settings))
    assert released.network is None  # one copy of the weights: the ONNX session's
    assert [p.intent for p in released.predict(PROBE_TEXTS)] == [p.intent for p in reference]
    with pytest.raises(RuntimeError, match="released"):
        released.use_runner(None)  # no silent fall-back to a network that is gone
    with pytest.raises(RuntimeError, match="released"):
        released.save(tmp_path / "copy")

    kept = IntentModel.load(tiny_intent_dir)
    keep = Settings(model_dir=tiny_intent_dir, onnx_cache_dir=tmp_path, onnx_keep_torch=True)
    assert _try(kept, keep.model_dir, runtime(keep))
    assert kept.network is not None
    kept.use_runner(None)  # back on PyTorch
    assert [p.intent for p in kept.predict(PROBE_TEXTS)] == [p.intent for p in reference]

    torch_only = IntentModel.load(tiny_intent_dir)
    with pytest.raises(RuntimeError, match="only copy"):
        torch_only.release_network()


def test_sentence_encoder_session_matches_pytorch(tmp_path):
    d = tmp_path / "st"
    bert = tiny_bert()
    bert.save_pretrained(str(d))
    AutoTokenizer.from_pretrained(str(base_model_path())).save_pretrained(str(d))
    (d / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 16}))
    enc = OnnxEncoder.from_directory(d, tmp_path / "cache")
    assert enc.dim == 32 and enc.max_length == 16
    pooled = PooledEncoder(bert).eval()

    def reference(texts: list[str]) -> np.ndarray:
        t = enc.tokenizer(texts, padding=True, truncation=True, max_length=16, return_tensors="pt")
        with torch.inference_mode():
            return pooled(t["input_ids"], t["attention_mask"]).numpy()

    assert max_abs_diff(reference, enc.encode) < 1e-5
    out = enc.encode(PROBE_TEXTS, batch_size=3)  # several chunks
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, 32)


@pytest.mark.integration
def test_real_minilm_session_matches_sentence_transformers(tmp_path):
    from intent.encoder import SentenceEncoder

    with (ROOT / "data" / "intents" / "test.csv").open() as f:
        texts = [row["text"] for row in csv.DictReader(f)][:300]
    reference = SentenceEncoder()
    candidate = OnnxEncoder.from_directory(base_model_path(), tmp_path)
    assert max_abs_diff(reference.encode, candidate.encode, texts[:40]) < 1e-4
    assert np.abs(reference.encode(texts) - candidate.encode(texts)).max() < 1e-4
