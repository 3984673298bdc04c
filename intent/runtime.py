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
from typing import TYPE_CHECKING, TypeVar

import numpy as np

from intent.batching import BatchingClassifier, BatchingEncoder
from intent.encoder import Encoder, SentenceEncoder, base_model_path
from intent.language import DEFAULT_LANGUAGE, Language
from intent.modeling import IntentModel, ModelLoadError
from intent.routing import LanguageMismatch, LanguageRouter, language_dirs
from intent.types import IntentClassifier

if TYPE_CHECKING:
    from intent.onnx_runtime import OnnxRunner

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
    # serve the classifier's int8 graph when it decides like the float one (intent/int8.py)
    int8: bool = True
    int8_min_agreement: float = 0.995  # share of the model's check texts decided the same
    int8_max_confidence_shift: float = 0.01  # mean |confidence difference| on them


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
    from intent.onnx_runtime import PROBE_TEXTS, classifier_runner, max_abs_diff

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
    model.serving = "onnx"
    if runtime.int8:
        try_int8_classifier(model, runner, runtime)
    if not runtime.keep_torch:
        model.release_network()
        log.info("intent model: PyTorch copy released (onnx_keep_torch keeps it resident)")
    return True


def try_int8_classifier(model: IntentModel, fp32: OnnxRunner, runtime: Runtime) -> bool:
    """Switch `model` (served by the verified float session `fp32`) to its int8 graph when
    that decides the model's check texts like the float one (intent/int8.py); False (the
    float session stays) otherwise, logged with the figures or the reason."""
    from intent.int8 import Agreement, agreement
    from intent.onnx_runtime import OnnxRunner, quantized, remembered

    texts = model.check_texts
    if not texts:
        log.info(
            "intent model on float ONNX: it has no check texts to verify int8 against "
            "(models trained before they were saved; retrain to get them)"
        )
        return False
    try:
        int8 = OnnxRunner(quantized(fp32.path), runtime.onnx_threads)

        def measure() -> dict[str, float | int]:
            reference = model.predict(texts)
            model.use_runner(int8)
            try:
                return agreement(reference, model.predict(texts)).to_dict()
            finally:
                model.use_runner(fp32)

        point = {  # the decisions depend on the operating point (recalibrate moves it)
            k: getattr(model.config, k)
            for k in ("labels", "temperature", "oos_threshold", "ngram_weight")
        }
        figures = Agreement(**remembered(int8.path, texts, measure, point))
    except Exception as exc:  # quantisation or its session failed: the float graph it is
        log.warning("intent model on float ONNX: int8 quantisation failed (%s)", exc)
        return False
    said = (
        f"{figures.agreement:.2%} of {figures.n} check texts decided alike, "
        f"confidence moved {figures.confidence_shift:.4f} on average"
    )
    if not figures.passes(runtime.int8_min_agreement, runtime.int8_max_confidence_shift):
        log.warning(
            "intent model on float ONNX: int8 not verified (%s; needs >= %.2f%% and <= %.3f)",
            said, runtime.int8_min_agreement * 100, runtime.int8_max_confidence_shift,
        )  # fmt: skip
        return False
    model.use_runner(int8)
    model.serving = "onnx-int8"
    log.info("intent model on int8 ONNX (%s)", said)
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


def serving(classifier: object) -> dict[Language, str]:
    """What runs each language's model of a loaded classifier (a `LanguageRouter`, a
    `BatchingClassifier` or a bare model): `onnx-int8`, `onnx`, `pytorch`, or the name of a
    packaged encoder."""
    models = getattr(classifier, "models", None) or {DEFAULT_LANGUAGE: classifier}
    return {
        lang: str(getattr(getattr(m, "classifier", m), "serving", "pytorch"))
        for lang, m in models.items()
    }
