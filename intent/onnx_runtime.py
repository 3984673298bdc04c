"""ONNX Runtime for the MiniLM networks: about 3x faster than PyTorch for one short turn on
2 CPU cores, same numbers.

Exported at load time with `torch.onnx.export` (TorchScript exporter, opset 17, dynamic
batch and sequence axes) from the model's own safetensors, into a cache directory keyed by
a hash of those weights: no ONNX file is committed, and new weights get a new export.
The attention is exported in its "eager" form: the SDPA form exported with a wrong mask
and gave outputs ~1.0 away from PyTorch. Callers check `max_abs_diff` against PyTorch on
`PROBE_TEXTS` before trusting a session (intent/runtime.py does, at start-up).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from intent.modeling import EncoderClassifier, IntentModel, mean_pool

EXPORT_VERSION = "1"  # bump when the export itself changes (the cache key includes it)
OPSET = 17

# Short and long turns, digits, punctuation, non-ASCII: the probe for "same numbers".
PROBE_TEXTS = [
    "hi",
    "where is my order ORD-100234?",
    "my new phone won't activate",
    "how long does delivery take?",
    "I want a refund for my headphones, they broke after two days",
    "can I talk to a real person please",
    "cancel it",
    "I was charged twice for invoice 88231 and nobody answers my emails!!!",
    "Do you ship to Zürich or only inside the EU?",
    "what payment methods do you accept",
    "I need to change the shipping address on my order to 42 Baker Street, London",
    "thanks, that's all",
    "no",
    "the app keeps crashing every time I open the settings page after the last update "
    "and I have already reinstalled it twice, what else can I try before I return it?",
    "¿dónde está mi pedido?",
    "ok",
]


class PooledEncoder(nn.Module):
    """A transformers encoder with mean pooling and L2 normalisation (the sentence
    embedding the retrieval side uses)."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        return mean_pool(out.last_hidden_state, attention_mask)


def eager_encoder(directory: str | Path) -> nn.Module:
    """The transformers encoder saved in `directory`, with exportable (eager) attention."""
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(directory), attn_implementation="eager").eval()


def weights_key(*files: Path) -> str:
    """Hash of the weight files, the export version and the exporter's versions."""
    h = hashlib.sha256(f"{EXPORT_VERSION}/{OPSET}/{torch.__version__}".encode())
    for f in files:
        with open(f, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()[:24]


def export(module: nn.Module, path: Path) -> Path:
    """Export `module(input_ids, attention_mask)` to `path` (written atomically)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    ids = torch.tensor([[101, 7592, 2045, 102], [101, 7592, 102, 0]], dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    dyn = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module.eval(),
            (ids, mask),
            str(tmp),
            input_names=["input_ids", "attention_mask"],
            output_names=["output"],
            dynamic_axes={"input_ids": dyn, "attention_mask": dyn, "output": {0: "batch"}},
            opset_version=OPSET,
            dynamo=False,
        )
    os.replace(tmp, path)
    return path


class OnnxRunner:
    """An ONNX Runtime session: `(input_ids, attention_mask) -> output`, thread-safe."""

    def __init__(self, path: str | Path, threads: int = 2) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # idle pool threads must not spin: the cores are shared with the web server
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.path = Path(path)
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def __call__(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        out = self.session.run(None, {"input_ids": input_ids, "attention_mask": attention_mask})
        return np.asarray(out[0], dtype=np.float32)


def cached_runner(
    cache_dir: str | Path, name: str, key: str, build: Callable[[], nn.Module], threads: int = 2
) -> OnnxRunner:
    """The session of `cache_dir/name-key.onnx`, exported from `build()` when missing."""
    path = Path(cache_dir) / f"{name}-{key}.onnx"
    if not path.is_file():
        export(build(), path)
    return OnnxRunner(path, threads)


def classifier_runner(
    model: IntentModel, model_dir: str | Path, cache_dir: str | Path, threads: int = 2
) -> OnnxRunner:
    """ONNX session of the intent model's network (encoder + pooling + head -> logits)."""
    d = Path(model_dir)

    def build() -> nn.Module:
        network = EncoderClassifier(eager_encoder(d / "encoder"), len(model.labels))
        network.head.load_state_dict(model.torch_network().head.state_dict())
        return network

    key = weights_key(d / "encoder" / "model.safetensors", d / "head.safetensors")
    return cached_runner(cache_dir, "intent", key, build, threads)


class OnnxEncoder:
    """The `Encoder` of a sentence-transformers MiniLM directory (mean pooling, normalised)
    through ONNX Runtime."""

    def __init__(self, runner: OnnxRunner, tokenizer: Any, max_length: int, dim: int) -> None:
        self.runner = runner
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.dim = dim
        self.name = "OnnxEncoder"  # callers that verified it against a model pass its name

    @classmethod
    def from_directory(
        cls, directory: str | Path, cache_dir: str | Path, threads: int = 2
    ) -> OnnxEncoder:
        from transformers import AutoConfig, AutoTokenizer

        d = Path(directory)
        st_config = d / "sentence_bert_config.json"
        max_length = 256
        if st_config.is_file():
            max_length = int(json.loads(st_config.read_text())["max_seq_length"])
        dim = int(AutoConfig.from_pretrained(str(d)).hidden_size)
        key = weights_key(d / "model.safetensors")
        runner = cached_runner(
            cache_dir, "sentence", key, lambda: PooledEncoder(eager_encoder(d)), threads
        )
        return cls(runner, AutoTokenizer.from_pretrained(str(d)), max_length, dim)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        chunks = [np.zeros((0, self.dim), dtype=np.float32)]
        for i in range(0, len(texts), max(1, batch_size)):
            enc = self.tokenizer(
                list(texts[i : i + batch_size]),
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="np",
            )
            ids = enc["input_ids"].astype(np.int64)
            chunks.append(self.runner(ids, enc["attention_mask"].astype(np.int64)))
        return np.concatenate(chunks)


def verified_diff(session_file: Path, measure: Callable[[], float]) -> float:
    """`measure()` (a session's max abs difference to PyTorch on the probe set),
    remembered next to the session file: a later start with the same file bytes, probe
    set and library versions reads the figure instead of running both networks again."""
    saved = remembered(session_file, PROBE_TEXTS, lambda: {"max_abs_diff": measure()})
    return float(saved["max_abs_diff"])


def remembered(
    session_file: Path,
    texts: Sequence[str],
    measure: Callable[[], dict[str, Any]],
    context: object = None,
) -> dict[str, Any]:
    """`measure()` of a session on `texts`, remembered in `<session>.verified.json`, keyed
    by the file's bytes, the texts, `context` (JSON: e.g. the operating point the figures
    depend on) and the library versions (a stale or unreadable record is measured again)."""
    import onnxruntime
    import transformers

    h = hashlib.sha256(
        json.dumps(
            [
                list(texts),
                context,
                onnxruntime.__version__,
                torch.__version__,
                transformers.__version__,
            ]
        ).encode()
    )
    with open(session_file, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    record = session_file.with_suffix(".verified.json")
    try:
        saved = json.loads(record.read_text())
        if saved["key"] == h.hexdigest() and isinstance(saved["figures"], dict):
            return dict(saved["figures"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    figures = measure()
    tmp = record.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"key": h.hexdigest(), "figures": figures}))
    os.replace(tmp, record)
    return figures


def quantized(session_file: Path) -> Path:
    """The dynamic int8 copy of an exported graph (per-channel int8 weights for every
    MatMul/Gemm; per-tensor moved the demo classifier's decisions on 0.8 % of turns,
    per-channel on 0.3 %), written next to it once per ONNX Runtime version."""
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out = session_file.with_name(f"{session_file.stem}.int8-{onnxruntime.__version__}.onnx")
    if not out.is_file():
        tmp = out.with_name(f"{out.stem}.{os.getpid()}.tmp.onnx")
        quiet = logging.root.manager.disable  # it logs every tensor on the root logger
        logging.disable(logging.WARNING)
        try:
            quantize_dynamic(session_file, tmp, weight_type=QuantType.QInt8, per_channel=True)
        finally:
            logging.disable(quiet)
        os.replace(tmp, out)
    return out


def max_abs_diff(
    reference: Callable[[list[str]], np.ndarray],
    candidate: Callable[[list[str]], np.ndarray],
    texts: Sequence[str] = PROBE_TEXTS,
) -> float:
    """Largest absolute difference of two text -> array functions, on the texts one at a
    time and all together in one padded batch."""
    items = list(texts)
    worst = float(np.abs(reference(items) - candidate(items)).max())
    for t in items:
        worst = max(worst, float(np.abs(reference([t]) - candidate([t])).max()))
    return worst
