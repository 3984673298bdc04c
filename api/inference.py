"""The service's settings as the inference runtime's options (intent/runtime.py decides
ONNX Runtime or PyTorch, and batches and caches both networks)."""

from __future__ import annotations

from api.config import Settings
from intent.runtime import Runtime


def runtime(settings: Settings) -> Runtime:
    return Runtime(
        onnx=settings.onnx,
        cache_dir=settings.onnx_cache_dir,
        onnx_threads=settings.onnx_threads,
        torch_threads=settings.torch_threads,
        micro_batch_max=settings.micro_batch_max,
        window_s=settings.micro_batch_window_ms / 1000,
        cache_size=settings.inference_cache_size,
    )
