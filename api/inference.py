"""The service's settings as the inference runtime's options (intent/runtime.py decides
ONNX Runtime or PyTorch, and batches and caches both networks)."""

from __future__ import annotations

import functools

from api.config import Settings
from intent.encoder import Encoder
from intent.runtime import Runtime


def runtime(settings: Settings) -> Runtime:
    return Runtime(
        onnx=settings.onnx,
        cache_dir=settings.onnx_cache_dir,
        onnx_threads=settings.onnx_threads,
        keep_torch=settings.onnx_keep_torch,
        int8=settings.onnx_int8,
        int8_min_agreement=settings.onnx_int8_min_agreement,
        torch_threads=settings.torch_threads,
        micro_batch_max=settings.micro_batch_max,
        window_s=settings.micro_batch_window_ms / 1000,
        cache_size=settings.inference_cache_size,
    )


@functools.cache
def multilingual_encoder(rt: Runtime) -> Encoder:
    """The Chinese suggestions' encoder (multilingual-e5-small, intent/multilingual_encoder.py),
    batched and cached like the English query encoder; one per process and runtime (a
    later app in the same process, e.g. in tests, gets the same one). Loaded only when a
    ranker asks for it: a bank with Chinese items, at warm-up."""
    from intent.batching import BatchingEncoder
    from intent.multilingual_encoder import shared

    return BatchingEncoder(shared(rt.torch_threads), rt.micro_batch_max, rt.window_s, rt.cache_size)


def multilingual_history(settings: Settings, chinese: bool) -> bool:
    """Whether Chinese turns get their own history index (multilingual encoder):
    `multilingual_history` "on", or "auto" when the service answers in Chinese (`chinese`:
    the response bank has Chinese items)."""
    return settings.multilingual_history == "on" or (
        settings.multilingual_history == "auto" and chinese
    )


def language_neutral_encoder(rt: Runtime) -> Encoder:
    """The Chinese turns' history encoder: the shared multilingual encoder with the
    language direction projected out (intent/multilingual_encoder.py)."""
    from intent.multilingual_encoder import LanguageNeutralEncoder

    return LanguageNeutralEncoder.load(multilingual_encoder(rt))
