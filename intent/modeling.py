"""The intent model: a fine-tuned MiniLM encoder with a linear head, an n-gram partner,
temperature-scaled confidence and an out-of-scope operating point.

Saved as a directory:
    config.json            labels, temperature, OOS threshold, ensemble weight, metrics
    encoder/               transformers model (model.safetensors + config.json) + tokenizer
    head.safetensors       linear head over mean-pooled, normalised embeddings
    ngram.json/.safetensors  optional n-gram logistic model

A model whose `config.encoder` names a packaged encoder (`multilingual-e5-small-q4`, see
`intent/multilingual_encoder.py`) has no `encoder/`: that encoder stays frozen and comes
from its package; `EmbeddingIntentModel` runs the head over its vectors.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.numpy import load_file as load_numpy
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import load_file, save_file
from torch import nn

from intent.calibration import softmax
from intent.encoder import Encoder
from intent.int8 import load_check_texts, save_check_texts
from intent.language import DEFAULT_LANGUAGE, detect
from intent.ngram import NgramModel
from intent.types import IntentPrediction, RankedIntent

FORMAT_VERSION = 1
CONFIG_FILE = "config.json"
TRANSFORMERS = "transformers"  # ModelConfig.encoder of a model with its own encoder/


class ModelLoadError(RuntimeError):
    """A model directory that is missing or cannot be read."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot load the intent model at {path}: {reason}")
        self.path = path
        self.reason = reason


# (input_ids, attention_mask) -> logits, both int64 arrays (n, seq); e.g. ONNX Runtime
NetworkRunner = Callable[[np.ndarray, np.ndarray], np.ndarray]


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean over the unmasked tokens, L2-normalised (sentence-transformers' pooling)."""
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return F.normalize(pooled, dim=-1)


class EncoderClassifier(nn.Module):
    """Transformer encoder, mean pooling, L2 normalisation, linear head."""

    def __init__(self, encoder: nn.Module, n_classes: int) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(getattr(encoder, "config").hidden_size)  # noqa: B009 - transformers model
        self.head = nn.Linear(hidden, n_classes)

    def embed(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        return mean_pool(out.last_hidden_state, attention_mask)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(input_ids, attention_mask))


@dataclass
class ModelConfig:
    labels: list[str]
    oos_label: str = "out_of_scope"
    temperature: float = 1.0
    oos_threshold: float = 0.0
    ngram_weight: float = 0.0
    max_length: int = 64
    base_model: str = "all-MiniLM-L6-v2"
    encoder: str = "transformers"  # or a packaged frozen encoder's name (MULTILINGUAL)
    training: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)
    format_version: int = FORMAT_VERSION


class IntentModel:
    """Predicts intent, calibrated confidence, ranking and out-of-scope for texts."""

    def __init__(
        self,
        config: ModelConfig,
        network: EncoderClassifier,
        tokenizer: Any,
        ngram: NgramModel | None = None,
        device: str = "cpu",
    ) -> None:
        self.config = config
        # None once a verified runner serves the model and the copy was released
        self.network: EncoderClassifier | None = network.to(device).eval()
        self.tokenizer = tokenizer
        self.ngram = ngram
        self.device = device
        self._oos_index = (
            config.labels.index(config.oos_label) if config.oos_label in config.labels else None
        )
        self.runner: NetworkRunner | None = None  # set by use_runner
        self.serving = "pytorch"  # or "onnx", "onnx-int8" (intent/runtime.py decides)
        # held-out and noisy texts the int8 graph is checked on (intent/int8.py)
        self.check_texts: list[str] = []

    def use_runner(self, runner: NetworkRunner | None) -> None:
        """Run the network through `runner` (e.g. an ONNX Runtime session of the same
        weights) instead of PyTorch; None goes back to PyTorch (not after
        `release_network`)."""
        if runner is None and self.network is None:
            raise RuntimeError("the PyTorch network was released: reload the model")
        self.runner = runner

    def release_network(self) -> None:
        """Free the PyTorch copy of the network while a verified runner serves it: one
        copy of the weights a worker process, not two. The model then runs only through
        that runner; it cannot be saved or put back on PyTorch (load it again for that)."""
        if self.runner is None:
            raise RuntimeError("no runner serves the model: its PyTorch network is the only copy")
        self.network = None

    def torch_network(self) -> EncoderClassifier:
        """The PyTorch network (RuntimeError once released)."""
        if self.network is None:
            raise RuntimeError("the PyTorch network was released (ONNX Runtime serves it)")
        return self.network

    @property
    def labels(self) -> list[str]:
        return self.config.labels

    # -- inference -------------------------------------------------------------------
    @torch.inference_mode()
    def network_logits(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        chunks = []
        for i in range(0, len(texts), batch_size):
            enc = self.tokenizer(
                list(texts[i : i + batch_size]),
                padding=True,
                truncation=True,
                max_length=self.config.max_length,
                return_tensors="np" if self.runner is not None else "pt",
            )
            if self.runner is not None:
                ids, mask = enc["input_ids"], enc["attention_mask"]
                chunks.append(self.runner(ids.astype(np.int64), mask.astype(np.int64)))
                continue
            logits = self.torch_network()(
                enc["input_ids"].to(self.device), enc["attention_mask"].to(self.device)
            )
            chunks.append(logits.float().cpu().numpy())
        if not chunks:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return np.concatenate(chunks)

    def combined_logits(
        self,
        texts: Sequence[str],
        nn_logits: np.ndarray | None = None,
        ngram_logits: np.ndarray | None = None,
    ) -> np.ndarray:
        z = self.network_logits(texts) if nn_logits is None else nn_logits
        w = self.config.ngram_weight
        if self.ngram is not None and w > 0:
            zn = self.ngram.logits(texts) if ngram_logits is None else ngram_logits
            z = (1.0 - w) * z + w * zn
        return z

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated class probabilities, shape (n, n_labels)."""
        return softmax(self.combined_logits(texts), self.config.temperature)

    def predict(self, texts: str | Sequence[str], top_k: int = 5) -> list[IntentPrediction]:
        items = [texts] if isinstance(texts, str) else list(texts)
        if not items:
            return []
        return self.decide(items, self.probabilities(items), top_k)

    def decide(
        self, texts: Sequence[str], probs: np.ndarray, top_k: int = 5
    ) -> list[IntentPrediction]:
        """Turn calibrated probabilities into predictions at the model's operating point."""
        out = []
        in_scope = probs.copy()
        if self._oos_index is not None:
            in_scope[:, self._oos_index] = -1.0
        order = np.argsort(-in_scope, axis=1)[:, :top_k]
        top_any = probs.argmax(axis=1)
        for i, text in enumerate(texts):
            best = int(order[i, 0])
            conf = float(probs[i, best])
            is_oos = (self._oos_index is not None and int(top_any[i]) == self._oos_index) or (
                conf < self.config.oos_threshold
            )
            ranking = [
                RankedIntent(self.labels[int(j)], round(float(probs[i, j]), 6))
                for j in order[i]
                if in_scope[i, j] >= 0
            ]
            out.append(
                IntentPrediction(
                    text=text,
                    intent=self.config.oos_label if is_oos else self.labels[best],
                    confidence=round(conf, 6),
                    out_of_scope=bool(is_oos),
                    ranking=ranking,
                    language=detect(text) or DEFAULT_LANGUAGE,
                )
            )
        return out

    # -- persistence -----------------------------------------------------------------
    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        network = self.torch_network()
        (d / "encoder").mkdir(parents=True, exist_ok=True)
        network.encoder.save_pretrained(str(d / "encoder"), safe_serialization=True)  # type: ignore[operator]
        self.tokenizer.save_pretrained(str(d / "encoder"))
        head = {k: v.detach().cpu().contiguous() for k, v in network.head.state_dict().items()}
        save_file(head, str(d / "head.safetensors"))
        return self._save_partner_and_config(d)

    def _save_partner_and_config(self, d: Path) -> Path:
        for stale in ("ngram.json", "ngram.safetensors"):
            (d / stale).unlink(missing_ok=True)
        if self.ngram is not None:
            self.ngram.save(d)
        save_check_texts(d, self.check_texts)
        (d / CONFIG_FILE).write_text(json.dumps(self.config.__dict__, indent=2), encoding="utf-8")
        return d

    @classmethod
    def load(
        cls, directory: str | Path, device: str = "cpu", threads: int | None = None
    ) -> IntentModel:
        d = Path(directory)
        if not (d / CONFIG_FILE).is_file():
            raise ModelLoadError(
                d,
                f"{CONFIG_FILE} not found (train one with `make model` "
                "or `python -m intent train --data PATH --out DIR`)",
            )
        try:
            raw = json.loads((d / CONFIG_FILE).read_text(encoding="utf-8"))
            config = ModelConfig(**raw)
        except (ValueError, TypeError) as exc:
            raise ModelLoadError(d, f"{CONFIG_FILE} is corrupt: {exc}") from exc
        if config.format_version != FORMAT_VERSION:
            raise ModelLoadError(
                d,
                f"format version {config.format_version}, expected "
                f"{FORMAT_VERSION}: retrain the model",
            )
        if config.encoder != TRANSFORMERS:
            return EmbeddingIntentModel.load_with(d, config, threads)
        if threads:
            torch.set_num_threads(threads)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from transformers import AutoModel, AutoTokenizer

        try:
            tokenizer = AutoTokenizer.from_pretrained(str(d / "encoder"))
            encoder = AutoModel.from_pretrained(str(d / "encoder"))
            network = EncoderClassifier(encoder, len(config.labels))
            network.head.load_state_dict(load_file(str(d / "head.safetensors")))
            ngram = NgramModel.load(d) if (d / "ngram.json").is_file() else None
        except (OSError, ValueError, RuntimeError, KeyError) as exc:
            raise ModelLoadError(d, f"{type(exc).__name__}: {exc}") from exc
        model = cls(config, network, tokenizer, ngram, device)
        model.check_texts = load_check_texts(d)
        return model


class EmbeddingIntentModel(IntentModel):
    """The same model over a frozen, packaged encoder (`ModelConfig.encoder` names it): the
    linear head runs on its vectors; no PyTorch network, no `encoder/` directory."""

    def __init__(
        self,
        config: ModelConfig,
        encoder: Encoder,
        weight: np.ndarray,
        bias: np.ndarray,
        ngram: NgramModel | None = None,
    ) -> None:
        self.config = config
        self.encoder = encoder
        self.weight = np.ascontiguousarray(weight, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.ngram = ngram
        self.device = "cpu"
        self.tokenizer = None
        self.runner = None
        self.serving = config.encoder  # its own engine
        self.check_texts = []
        self._oos_index = (
            config.labels.index(config.oos_label) if config.oos_label in config.labels else None
        )

    def use_runner(self, runner: NetworkRunner | None) -> None:
        raise NotImplementedError(f"{self.config.encoder} runs in its own engine")

    def network_logits(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return self.encoder.encode(list(texts), batch_size) @ self.weight.T + self.bias

    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        save_numpy({"weight": self.weight, "bias": self.bias}, str(d / "head.safetensors"))
        return self._save_partner_and_config(d)

    @classmethod
    def load_with(
        cls, d: Path, config: ModelConfig, threads: int | None = None
    ) -> EmbeddingIntentModel:
        try:
            encoder = frozen_encoder(config.encoder, threads)
            head = load_numpy(str(d / "head.safetensors"))
            ngram = NgramModel.load(d) if (d / "ngram.json").is_file() else None
        except (OSError, ValueError, RuntimeError, KeyError) as exc:
            raise ModelLoadError(d, f"{type(exc).__name__}: {exc}") from exc
        model = cls(config, encoder, head["weight"], head["bias"], ngram)
        model.check_texts = load_check_texts(d)
        return model


def frozen_encoder(name: str, threads: int | None = None) -> Encoder:
    """The packaged encoder a model names in `ModelConfig.encoder`."""
    from intent.multilingual_encoder import NAME, shared

    if name == NAME:
        return shared(threads)
    raise ValueError(f"unknown encoder {name!r} (known: {TRANSFORMERS}, {NAME})")
