"""Which runtime runs the two MiniLM networks of a turn: the intent classifier (fine-tuned)
and retrieval's query encoder (base model). One rule for both, `verified`:

ONNX Runtime when `Runtime.onnx` is on AND its session reproduces PyTorch on
`PROBE_TEXTS` (max abs difference <= `tolerance`; for the classifier also the same top
intent); otherwise PyTorch, with a warning saying why. The check runs with each new
session file and is remembered next to it, so later starts do not pay for it. Either way
the model is wrapped for micro-batching and an LRU of recent texts (intent/batching.py);
`close()` on the wrapper stops its worker thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from intent.batching import BatchingClassifier, BatchingEncoder
from intent.encoder import Encoder, SentenceEncoder, base_model_path
from intent.language import DEFAULT_LANGUAGE, Language
from intent.modeling import IntentModel, ModelLoadError
from intent.routing import LanguageMismatch, LanguageRouter, language_dirs
from intent.types import IntentClassifier

log = logging.getLogger("intent.runtime")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Runtime:
    onnx: bool = True  # try ONNX Runtime (verified against PyTorch) before PyTorch
    cache_dir: Path = Path("var/cache/onnx")  # exported graphs, named by the weights' hash
    onnx_threads: int = 1  # per session
    torch_threads: int = 2
    micro_batch_max: int = 16  # concurrent callers' texts in one forward pass
    window_s: float = 0.002  # the wait for more texts, only under load
    cache_size: int = 1024  # recent texts' results kept (0: off)
    tolerance: float = 1e-4  # max abs difference to PyTorch on the probe set
    # keep the classifier's PyTorch weights resident next to a verified ONNX session
    # (default: released, one copy of the weights a worker)
    keep_torch: bool = False


def verified(
    what: str, make: Callable[[], tuple[T, Path]], measure: Callable[[T], float], tolerance: float
) -> T | None:
    """The one verify-or-fall-back: build the ONNX candidate (and its session file), measure
    its difference to PyTorch (remembered per session file), and return it when within
    `tolerance`; None (stay on PyTorch) otherwise, logged with the reason."""
    from intent.onnx_runtime import verified_diff

    try:
        candidate, session = make()
        diff = verified_diff(session, lambda: measure(candidate))
    except Exception as exc:  # any export / runtime problem: PyTorch it is
        log.warning("%s on PyTorch: ONNX export or session failed (%s)", what, exc)
        return None
    if diff > tolerance:
        log.warning("%s on PyTorch: ONNX differs by %.2g (or in its top intent)", what, diff)
        return None
    log.info("%s on ONNX Runtime (max abs diff to PyTorch %.2g)", what, diff)
    return candidate


def _tokens(model: IntentModel, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    enc = model.tokenizer(
        texts,
        padding=True,
        truncation=True,
        max_length=model.config.max_length,
        return_tensors="np",
    )
    return enc["input_ids"].astype(np.int64), enc["attention_mask"].astype(np.int64)


def try_onnx_classifier(model: IntentModel, model_dir: Path, runtime: Runtime) -> bool:
    """Switch `model` to an ONNX Runtime session of its network when verified; False (the
    model unchanged, on PyTorch) otherwise."""
    from intent.onnx_runtime import PROBE_TEXTS, OnnxRunner, classifier_runner, max_abs_diff

    def make() -> tuple[OnnxRunner, Path]:
        runner = classifier_runner(model, model_dir, runtime.cache_dir, runtime.onnx_threads)
        return runner, runner.path

    def measure(runner: OnnxRunner) -> float:
        model.use_runner(None)

        def onnx_logits(texts: list[str]) -> np.ndarray:
            return runner(*_tokens(model, texts))

        diff = max_abs_diff(model.network_logits, onnx_logits)
        same_top = model.network_logits(PROBE_TEXTS).argmax(1) == onnx_logits(PROBE_TEXTS).argmax(1)
        return diff if bool(same_top.all()) else float("inf")

    runner = verified("intent model", make, measure, runtime.tolerance)
    if runner is None:
        return False
    model.use_runner(runner)
    if not runtime.keep_torch:
        model.release_network()
        log.info("intent model: PyTorch copy released (onnx_keep_torch keeps it resident)")
    return True


def load_classifier(model_dir: Path, runtime: Runtime) -> BatchingClassifier | LanguageRouter:
    """The intent model (ONNX Runtime when verified), batched and cached. A model directory
    with a Chinese model in `zh/` (`python -m intent build-demo` makes one from
    `data/intents/zh/`) gives a `LanguageRouter` over both."""
    model = IntentModel.load(model_dir, threads=runtime.torch_threads)
    if runtime.onnx and type(model) is IntentModel:
        try_onnx_classifier(model, model_dir, runtime)
    english = BatchingClassifier(
        model, runtime.micro_batch_max, runtime.window_s, runtime.cache_size
    )
    others = language_dirs(model_dir)
    if not others:
        return english
    routed: dict[Language, IntentClassifier] = {DEFAULT_LANGUAGE: english}
    for lang, directory in others.items():
        other = IntentModel.load(directory, threads=runtime.torch_threads)
        if runtime.onnx and type(other) is IntentModel:
            try_onnx_classifier(other, directory, runtime)
        routed[lang] = BatchingClassifier(
            other, runtime.micro_batch_max, runtime.window_s, runtime.cache_size
        )
    try:
        return LanguageRouter(routed)
    except LanguageMismatch as exc:  # a stale language model: say what to rebuild
        raise ModelLoadError(model_dir, f"{exc}; rebuild both with `make model`") from exc


def load_encoder(runtime: Runtime) -> BatchingEncoder:
    """Retrieval's base MiniLM (ONNX Runtime when verified), batched and cached. PyTorch's
    model is loaded only to verify a new session, or as the fallback."""
    encoder: Encoder | None = None
    if runtime.onnx:
        from intent.onnx_runtime import PROBE_TEXTS, OnnxEncoder, max_abs_diff

        def make() -> tuple[OnnxEncoder, Path]:
            candidate = OnnxEncoder.from_directory(
                base_model_path(), runtime.cache_dir, runtime.onnx_threads
            )
            return candidate, candidate.runner.path

        def measure(candidate: OnnxEncoder) -> float:
            return max_abs_diff(SentenceEncoder().encode, candidate.encode, PROBE_TEXTS)

        onnx = verified("query encoder", make, measure, runtime.tolerance)
        if onnx is not None:
            onnx.name = SentenceEncoder.__name__  # same vectors: same caches
            encoder = onnx
    return BatchingEncoder(
        encoder or SentenceEncoder(), runtime.micro_batch_max, runtime.window_s, runtime.cache_size
    )
