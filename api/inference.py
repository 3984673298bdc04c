"""The two MiniLM models the service runs per turn, as the Settings ask: the intent
classifier (fine-tuned) and retrieval's query encoder (base model).

Each runs on ONNX Runtime when `settings.onnx` is on AND the session reproduces PyTorch on
`PROBE_TEXTS` (max abs difference <= ONNX_TOLERANCE, same top intent); otherwise on
PyTorch, with a warning saying why. The check runs at the first start with a new session
file and is remembered next to it (`verified_diff`), so later starts do not pay for it. Either way it is wrapped for
micro-batching and an LRU of recent texts (intent/batching.py); `close()` on the wrapper
stops its worker thread (the lifespan does it at shutdown)."""

from __future__ import annotations

import logging

import numpy as np

from api.config import Settings
from intent.batching import BatchingClassifier, BatchingEncoder
from intent.encoder import Encoder, SentenceEncoder, base_model_path
from intent.modeling import IntentModel

log = logging.getLogger("api.inference")

ONNX_TOLERANCE = 1e-4


def try_onnx_classifier(model: IntentModel, settings: Settings) -> bool:
    """Switch `model` to an ONNX Runtime session of its network if it gives PyTorch's
    logits on the probe set (and the same top intent); False (model unchanged) otherwise."""
    from intent.onnx_runtime import PROBE_TEXTS, classifier_runner, max_abs_diff, verified_diff

    def measure() -> float:
        model.use_runner(None)
        diff = max_abs_diff(model.network_logits, onnx_logits)
        same_top = model.network_logits(PROBE_TEXTS).argmax(1) == onnx_logits(PROBE_TEXTS).argmax(1)
        return diff if bool(same_top.all()) else float("inf")

    def onnx_logits(texts: list[str]) -> np.ndarray:
        return runner(*_tokens(model, texts))

    try:
        runner = classifier_runner(
            model, settings.model_dir, settings.onnx_cache_dir, settings.onnx_threads
        )
        diff = verified_diff(runner.path, measure)
    except Exception as exc:  # any export / runtime problem: PyTorch it is
        log.warning("intent model on PyTorch: ONNX export or session failed (%s)", exc)
        return False
    if diff > ONNX_TOLERANCE:
        log.warning("intent model on PyTorch: ONNX differs by %.2g (or in its top intent)", diff)
        return False
    model.use_runner(runner)
    log.info("intent model on ONNX Runtime (max abs diff to PyTorch %.2g)", diff)
    return True


def _tokens(model: IntentModel, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    enc = model.tokenizer(
        texts,
        padding=True,
        truncation=True,
        max_length=model.config.max_length,
        return_tensors="np",
    )
    return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)


def load_classifier(settings: Settings) -> BatchingClassifier:
    """The intent model (ONNX Runtime when verified), batched and cached."""
    model = IntentModel.load(settings.model_dir, threads=settings.torch_threads)
    if settings.onnx:
        try_onnx_classifier(model, settings)
    return BatchingClassifier(
        model,
        settings.micro_batch_max,
        settings.micro_batch_window_ms / 1000,
        settings.inference_cache_size,
    )


def load_query_encoder(settings: Settings) -> BatchingEncoder:
    """Retrieval's base MiniLM (ONNX Runtime when verified), batched and cached. PyTorch's
    model is loaded only to verify a new session, or as the fallback."""
    encoder: Encoder | None = None
    if settings.onnx:
        from intent.onnx_runtime import PROBE_TEXTS, OnnxEncoder, max_abs_diff, verified_diff

        try:
            candidate = OnnxEncoder.from_directory(
                base_model_path(), settings.onnx_cache_dir, settings.onnx_threads
            )
            diff = verified_diff(
                candidate.runner.path,
                lambda: max_abs_diff(SentenceEncoder().encode, candidate.encode, PROBE_TEXTS),
            )
        except Exception as exc:
            log.warning("query encoder on PyTorch: ONNX export or session failed (%s)", exc)
        else:
            if diff <= ONNX_TOLERANCE:
                log.info("query encoder on ONNX Runtime (max abs diff to PyTorch %.2g)", diff)
                candidate.name = SentenceEncoder.__name__  # same vectors: same caches
                encoder = candidate
            else:
                log.warning("query encoder on PyTorch: ONNX differs by %.2g", diff)
    return BatchingEncoder(
        encoder or SentenceEncoder(),
        settings.micro_batch_max,
        settings.micro_batch_window_ms / 1000,
        settings.inference_cache_size,
    )
