"""Training arguments: one dataclass that validates itself and round-trips to JSON."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields
from typing import Any

log = logging.getLogger(__name__)

ENCODERS = ("minilm", "multilingual-e5-small-q4")  # the second is intent.multilingual_encoder.NAME

# fields of earlier recipes, accepted in old config files and ignored
RETIRED = frozenset({"min_steps", "refit_below", "oos_holdout_fraction"})


@dataclass
class TrainingArgs:
    fine_tune: str = "auto"  # auto: only when a probe epoch beats the frozen head on
    # validation by `fine_tune_min_gain`; always; never (frozen encoder + heads)
    epochs: int = 8  # most fine-tuning epochs (early stopping on validation); 0 = never
    patience: int = 2  # epochs without a validation gain before fine-tuning stops
    fine_tune_min_gain: float = 0.005  # validation accuracy the probe epoch must add
    fine_tune_min_examples: int = 1500  # auto: smaller sets keep the frozen encoder (no probe)
    augment: bool = True  # add one noisy copy (case, punctuation, typos) of each example
    augment_weight: float = 1.0  # a noisy copy's weight in the heads (an example's is 1)
    batch_size: int = 32
    learning_rate: float = 1e-4  # encoder
    head_learning_rate: float = 2e-3  # linear head (started from a fit on frozen embeddings)
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1  # of the first epoch
    label_smoothing: float = 0.0
    max_length: int = 64  # tokens; customer turns are short
    head_c: float = 10.0  # inverse L2 strength of the linear head fits
    ngram_ensemble: bool = True  # add a char/word n-gram partner, weight chosen on held-out scores
    ngram_char_min: int = 2  # shortest character n-gram of the partner (1 for Chinese: a
    # character is often a word)
    valid_fraction: float = 0.1  # split off for the fine-tuning decision when no valid set
    oos_label: str | None = "out_of_scope"  # label meaning "out of scope", if the data has it
    background: str | None = "builtin"  # out-of-domain utterances added as an out-of-scope
    # class: "builtin" (data/background/background.csv), a CSV/text file, or None
    background_max_similarity: float = 0.75  # drop background turns this close to training
    background_group_overlap: float = 0.1  # and whole background topics with this share of
    # turns that close (the bot covers the topic)
    background_topic_similarity: float = 0.6  # and whole topics whose centroid is this close
    # to an intent's centroid
    background_size: int = 2000  # at most this many background turns
    background_weight: float = 3.0  # total weight of the background, in average intents
    oos_folds: int = 4  # cross-fitting folds that simulate unseen intents
    oos_share: float = 0.5  # share of out-of-scope turns expected in traffic: the threshold
    # maximises (1 - share) * in-scope accuracy + share * out-of-scope recall
    seed: int = 13
    device: str = "auto"  # auto | cpu | cuda
    base_model: str | None = None  # sentence-transformers dir; default: packaged MiniLM
    encoder: str = "minilm"  # minilm (base_model, may be fine-tuned) or a packaged frozen
    # encoder: multilingual-e5-small-q4 (Chinese and English, intent/multilingual_encoder.py)

    def __post_init__(self) -> None:
        if self.fine_tune not in ("auto", "always", "never"):
            raise ValueError("fine_tune must be auto, always or never")
        if self.fine_tune_min_examples < 0:
            raise ValueError("fine_tune_min_examples must be >= 0")
        if self.epochs < 0 or self.patience < 1:
            raise ValueError("epochs must be >= 0 and patience >= 1")
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
        if not 0.0 < self.background_max_similarity <= 1.0:
            raise ValueError("background_max_similarity must be in (0, 1]")
        if not 0.0 < self.background_group_overlap <= 1.0:
            raise ValueError("background_group_overlap must be in (0, 1]")
        if not 0.0 < self.background_topic_similarity <= 1.0:
            raise ValueError("background_topic_similarity must be in (0, 1]")
        if not 0.0 < self.augment_weight <= 1.0:
            raise ValueError("augment_weight must be in (0, 1]")
        if self.background_size < 0 or self.background_weight < 0:
            raise ValueError("background_size and background_weight must be >= 0")
        if not 0.0 < self.oos_share < 1.0:
            raise ValueError("oos_share must be in (0, 1)")
        if self.oos_folds < 2:
            raise ValueError("oos_folds must be >= 2")
        if not 1 <= self.ngram_char_min <= 5:
            raise ValueError("ngram_char_min must be in [1, 5]")
        if self.encoder not in ENCODERS:
            raise ValueError(f"encoder must be one of {', '.join(ENCODERS)}")
        if self.device not in ("auto", "cpu", "cuda"):
            raise ValueError("device must be auto, cpu or cuda")

    @property
    def fine_tuning_allowed(self) -> bool:
        return self.fine_tune != "never" and self.epochs > 0 and self.encoder == "minilm"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainingArgs:
        known = {f.name for f in fields(cls)}
        retired = sorted(set(data) & RETIRED)
        if retired:
            log.warning("ignoring training arguments of an earlier recipe: %s", retired)
        unknown = set(data) - known - RETIRED
        if unknown:
            raise ValueError(f"unknown training arguments: {sorted(unknown)}")
        return cls(**{k: v for k, v in data.items() if k in known})
