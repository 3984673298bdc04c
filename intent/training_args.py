"""Training arguments: one dataclass that validates itself and round-trips to JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class TrainingArgs:
    epochs: int = 8  # fine-tuning epochs over the training set (0 = frozen encoder + head)
    min_steps: int = 500  # small data sets get more epochs, up to this many optimiser steps
    batch_size: int = 32
    learning_rate: float = 1e-4  # encoder
    head_learning_rate: float = 2e-3  # linear head (started from a fit on frozen embeddings)
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    label_smoothing: float = 0.0
    max_length: int = 64  # tokens; customer turns are short
    head_c: float = 10.0  # inverse L2 strength of the frozen-embedding head fit
    ngram_ensemble: bool = (
        True  # add a char/word n-gram logistic model, weight chosen on validation
    )
    valid_fraction: float = 0.1  # split off for calibration / operating point when no valid set
    refit_below: int = 30  # no valid set and fewer examples per label than this: after choosing
    # calibration on a split, retrain on all the data (few-shot sets cannot spare a tenth)
    oos_label: str | None = "out_of_scope"  # label meaning "out of scope", if the data has it
    oos_holdout_fraction: float = 0.25  # intents held out to simulate OOS when valid has none
    seed: int = 13
    device: str = "auto"  # auto | cpu | cuda
    base_model: str | None = None  # sentence-transformers dir; default: packaged MiniLM

    def __post_init__(self) -> None:
        if self.epochs < 0 or self.min_steps < 0:
            raise ValueError("epochs and min_steps must be >= 0")
        if self.batch_size <= 0:
            raise ValueError("batch_size must be positive")
        if self.learning_rate <= 0 or self.head_learning_rate <= 0:
            raise ValueError("learning rates must be positive")
        if not 0.0 <= self.warmup_ratio < 1.0:
            raise ValueError("warmup_ratio must be in [0, 1)")
        if not 0.0 <= self.label_smoothing < 1.0:
            raise ValueError("label_smoothing must be in [0, 1)")
        if not 8 <= self.max_length <= 512:
            raise ValueError("max_length must be in [8, 512]")
        if not 0.0 < self.valid_fraction < 0.5:
            raise ValueError("valid_fraction must be in (0, 0.5)")
        if not 0.0 < self.oos_holdout_fraction < 0.9:
            raise ValueError("oos_holdout_fraction must be in (0, 0.9)")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ValueError("device must be auto, cpu or cuda")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingArgs:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown training arguments: {sorted(unknown)}")
        return cls(**data)
