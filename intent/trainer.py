"""Training, phase by phase, each choice made on held-out data and timed:

1. embed the training turns (and the out-of-scope background, `intent/background.py`)
   with the frozen encoder;
2. fine-tuning decision: a linear head on frozen embeddings against one probe epoch of
   fine-tuning, both scored on validation; fine-tuning goes on (early stopping, best epoch
   kept) only when the probe gains `fine_tune_min_gain`, so small data sets, where a frozen
   encoder is as good, train in seconds;
3. operating point: ensemble weight, temperature and out-of-scope threshold from held-out
   scores of the heads (linear head + n-gram partner, background class included):
   cross-fitted on the training data with unseen intents simulated, or a validation split
   when the data has out-of-scope examples (`intent/open_set.py`);
4. final heads on every training example (the encoder is never trained twice).
"""

from __future__ import annotations

import json
import logging
import math
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from tqdm.auto import tqdm

from intent.augment import noisy_copies
from intent.background import embed_cached, encoder_identity, load_background, select_background
from intent.data import Example, labels_of
from intent.encoder import Encoder, base_model_path
from intent.heads import HeadFit, fit_heads, linear_head, row_weights
from intent.int8 import choose_check_texts
from intent.modeling import (
    TRANSFORMERS,
    EmbeddingIntentModel,
    EncoderClassifier,
    IntentModel,
    ModelConfig,
    ModelLoadError,
    frozen_encoder,
)
from intent.open_set import FAR, LABELLED, OperatingPoint, Pool, choose, cross_fit
from intent.training_args import TrainingArgs

log = logging.getLogger(__name__)
RECIPE_REVISION = 5  # bump when a change here changes what a trained model is


class PhaseClock:
    """Wall time per training phase (printed by the CLI, stored in the model config)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        log.info("training phase: %s", name)
        try:
            yield
        finally:
            spent = time.perf_counter() - started
            self.seconds[name] = round(self.seconds.get(name, 0.0) + spent, 2)


def _device(requested: str) -> str:
    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return requested


def _seed_all(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _batches(n: int, size: int, rng: np.random.Generator | None = None) -> list[np.ndarray]:
    idx = rng.permutation(n) if rng is not None else np.arange(n)
    return [idx[i : i + size] for i in range(0, n, size)]


def _encoded_batches(
    tokenizer, texts: Sequence[str], max_length: int, device: str
) -> Iterator[tuple[np.ndarray, Any]]:
    """(row indices, tokenised batch on `device`) for `texts`, 128 at a time."""
    for b in _batches(len(texts), 128):
        enc = tokenizer(
            [texts[i] for i in b], padding=True, truncation=True, max_length=max_length,
            return_tensors="pt",
        ).to(device)  # fmt: skip
        yield b, enc


@torch.inference_mode()
def _embed(
    network: EncoderClassifier,
    tokenizer,
    texts: Sequence[str],
    max_length: int,
    device: str,
    desc: str,
    progress: bool,
) -> np.ndarray:
    network.eval()
    out = [np.zeros((0, network.head.in_features), dtype=np.float32)]
    batches = _encoded_batches(tokenizer, texts, max_length, device)
    for _, enc in tqdm(batches, desc=desc, disable=not progress, leave=False):
        out.append(network.embed(enc["input_ids"], enc["attention_mask"]).float().cpu().numpy())
    return np.concatenate(out)


class _Embedder:
    """What turns the trainer's texts into vectors: the MiniLM network (fine-tuned in
    place when validation says it pays), or a packaged encoder that stays frozen
    (`TrainingArgs.encoder`, e.g. the multilingual one)."""

    def __init__(self, args: TrainingArgs, device: str) -> None:
        self.args, self.device = args, device
        self.frozen: Encoder | None = None
        self.network: EncoderClassifier | None = None
        self.tokenizer: Any = None
        if args.encoder == "minilm":
            self.tokenizer, self.network = _load_encoder(args, device)
        else:
            self.frozen = frozen_encoder(args.encoder)

    @property
    def identity(self) -> str:
        """What the base vectors depend on (the background cache's key)."""
        if self.frozen is not None:
            return f"{self.args.encoder}|max_length={self.args.max_length}"
        return encoder_identity(self.args.base_model or base_model_path(), self.args.max_length)

    def __call__(self, texts: Sequence[str], desc: str, progress: bool = False) -> np.ndarray:
        if self.frozen is not None:
            batches = range(0, len(texts), 64)
            out = [np.zeros((0, self.frozen.dim), dtype=np.float32)]
            for i in tqdm(batches, desc=desc, disable=not progress, leave=False):
                out.append(self.frozen.encode(list(texts[i : i + 64])))
            return np.concatenate(out)
        assert self.network is not None
        return _embed(
            self.network, self.tokenizer, texts, self.args.max_length, self.device, desc, progress
        )


def _split_indices(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratified (kept, held-out) row indices: about `fraction` of each label, at least
    one where the label has two or more rows."""
    rng = np.random.default_rng(seed)
    kept, held = [], []
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))
        n_held = max(1, round(len(rows) * fraction)) if len(rows) > 1 else 0
        held.extend(rows[:n_held].tolist())
        kept.extend(rows[n_held:].tolist())
    return np.array(sorted(kept), dtype=int), np.array(sorted(held), dtype=int)


def train(
    train_examples: Sequence[Example],
    args: TrainingArgs | None = None,
    valid: Sequence[Example] | None = None,
    progress: bool = True,
) -> IntentModel:
    """Train an intent model. `valid`, when given, is used only for choices (fine-tuning,
    early stopping, and the operating point when it holds out-of-scope examples); without
    it a stratified share of the training data is held out for them and every example is
    in the final heads."""
    args = args or TrainingArgs()
    examples = list(train_examples)
    if len(examples) < 2:
        raise ValueError("need at least two training examples")
    if len(labels_of(examples)) < 2:
        raise ValueError("need at least two distinct labels")
    _seed_all(args.seed)
    started = time.perf_counter()
    clock = PhaseClock()
    device = _device(args.device)
    oos_label = args.oos_label or "out_of_scope"
    given_valid = list(valid or [])
    texts = [e.text for e in examples]

    with clock("load encoder"):
        embed = _Embedder(args, device)
    with clock("embed"):
        x = embed(texts, "embedding", progress)
    bg_texts: list[str] = []
    bg_x = np.zeros((0, x.shape[1]), dtype=np.float32)
    if args.background and args.background_size > 0:
        with clock("background"):
            candidates = load_background(args.background)
            cx = embed_cached(
                candidates.texts, embed.identity,
                lambda: embed(candidates.texts, "background", progress),
            )  # fmt: skip
            keep = select_background(
                cx, x, args.background_max_similarity, args.background_size, args.seed,
                candidates.groups, args.background_group_overlap,
                labels=[e.label for e in examples],
                topic_similarity=args.background_topic_similarity, oos_label=oos_label,
            )  # fmt: skip
            bg_texts, bg_x = [candidates.texts[i] for i in keep], cx[keep]
    labels = sorted({e.label for e in examples} | ({oos_label} if bg_texts else set()))
    index = {label: i for i, label in enumerate(labels)}
    oos_index = index.get(oos_label)
    y = np.array([index[e.label] for e in examples], dtype=int)
    labelled_oos = [e for e in given_valid if e.label == oos_label] or [
        e for e in examples if e.label == oos_label
    ]

    # 2. the encoder: frozen, or fine-tuned when validation says it pays
    if given_valid:
        fit_rows = np.arange(len(examples))
        valid_ex = [e for e in given_valid if e.label in index or e.label == oos_label]
    else:
        fit_rows, held = _split_indices(y, args.valid_fraction, args.seed)
        valid_ex = [examples[i] for i in held]
    decision: dict[str, Any] = {"mode": args.fine_tune, "encoder": "frozen"}
    if embed.network is None:
        decision["reason"] = f"{args.encoder} is a packaged encoder, used frozen"
    elif not args.fine_tuning_allowed:
        decision["reason"] = "fine-tuning off (fine_tune=never or epochs=0)"
    elif args.fine_tune == "auto" and len(examples) < args.fine_tune_min_examples:
        decision["reason"] = (
            f"{len(examples)} training turns, fewer than fine_tune_min_examples="
            f"{args.fine_tune_min_examples}: a frozen encoder with the heads is as good there"
        )
    else:
        with clock("fine-tune"):
            decision |= _choose_encoder(
                embed.network, embed.tokenizer, texts, x, y, fit_rows, valid_ex, index, args,
                device, progress,
            )  # fmt: skip
        if decision["encoder"] == "fine-tuned":
            with clock("embed"):
                x = embed(texts, "embedding", progress)
                bg_x = embed(bg_texts, "background")

    # noisy copies of every example (same label, same fold as their source)
    origin, all_texts = np.arange(len(examples)), list(texts)
    if args.augment:
        with clock("augment"):
            x, origin, all_texts = _with_noisy_copies(embed, texts, x, args)
    y_all = y[origin]
    own_weight = np.where(np.arange(len(origin)) < len(examples), 1.0, args.augment_weight)

    def fit(rows: np.ndarray, bg_rows: np.ndarray) -> HeadFit:
        xs = np.concatenate([x[rows], bg_x[bg_rows]])
        ts = [all_texts[i] for i in np.flatnonzero(rows)] + [
            bg_texts[i] for i in np.flatnonzero(bg_rows)
        ]
        ys = np.concatenate([y_all[rows], np.full(int(bg_rows.sum()), oos_index or 0)])
        weights = row_weights(
            own_weight[rows],
            int(bg_rows.sum()),
            len(np.unique(y_all[rows])),
            args.background_weight,
        )
        return fit_heads(
            xs, ts, ys, len(labels), args.head_c, args.ngram_ensemble, weights,
            args.ngram_char_min,
        )  # fmt: skip

    # 3. the operating point, on held-out scores
    fit_mask = np.zeros(len(examples), dtype=bool)
    fit_mask[fit_rows] = True
    all_bg = np.ones(len(bg_texts), dtype=bool)
    with clock("operating point"):
        if labelled_oos:
            pool = _validation_pool(
                fit, fit_mask[origin], valid_ex, index, embed, bg_x, bg_texts, args
            )
        else:
            pool = cross_fit(
                fit, x, all_texts, y_all, bg_x, bg_texts, args.oos_folds,
                args.seed, origin,
            )  # fmt: skip
        point = choose(pool, oos_index, args.ngram_ensemble, args.oos_share)

    # 4. final heads: every training example (a given validation set stays out)
    with clock("final heads"):
        final_rows = fit_mask[origin] if given_valid else np.ones(len(origin), dtype=bool)
        heads = fit(final_rows, all_bg)
    config = ModelConfig(labels=labels, oos_label=oos_label, max_length=args.max_length)
    ngram = heads.ngram if point.ngram_weight > 0 else None
    model: IntentModel
    if embed.frozen is not None:
        config.encoder = config.base_model = args.encoder
        model = EmbeddingIntentModel(config, embed.frozen, heads.weight, heads.bias, ngram)
    else:
        network = embed.network
        assert network is not None
        network.head = nn.Linear(network.head.in_features, len(labels))
        with torch.no_grad():
            network.head.weight.copy_(torch.from_numpy(heads.weight))
            network.head.bias.copy_(torch.from_numpy(heads.bias))
        model = IntentModel(config, network, embed.tokenizer, ngram, device=device)
    model.config.ngram_weight = point.ngram_weight if model.ngram is not None else 0.0
    model.config.temperature = point.temperature
    model.config.oos_threshold = point.threshold
    model.config.training = args.to_dict() | {
        "n_train": int((final_rows & (np.arange(len(origin)) < len(examples))).sum()),
        "n_noisy_copies": len(origin) - len(examples),
        "n_background": len(bg_texts),
        "train_seconds": round(time.perf_counter() - started, 1),
        "phase_seconds": clock.seconds,
        "fine_tuning": decision,
        "device": device,
    }
    model.config.validation = _validation_summary(
        point, pool_kind="labelled" if labelled_oos else "cross-fitted"
    )
    model.check_texts = choose_check_texts(
        held_out=[e.text for e in valid_ex],
        noisy=all_texts[len(examples) :],
        training=texts,
        background=bg_texts,
        seed=args.seed,
    )
    return model


def _with_noisy_copies(embed: _Embedder, texts, x, args):
    """(embeddings, origin, texts) with one noisy copy of each text appended (those that
    differ from their source beyond case); origin[i] is the example row i comes from."""
    copies = noisy_copies(list(texts), args.seed)
    fresh = [i for i, c in enumerate(copies) if c.lower() != texts[i].lower()]
    extra = [copies[i] for i in fresh]
    x_extra = embed(extra, "augment")
    origin = np.concatenate([np.arange(len(texts)), np.array(fresh, dtype=int)])
    return np.concatenate([x, x_extra]), origin, list(texts) + extra


def _validation_summary(point: OperatingPoint, pool_kind: str) -> dict[str, Any]:
    f = point.figures
    return {
        "held_out": pool_kind,
        "n": f.get("n_in_scope"),
        "accuracy": f.get("closed_set_accuracy"),
        "ece": f.get("ece"),
        "accuracy_at_operating_point": f.get("in_scope_accuracy"),
        "simulated_oos_rejection_rate": f.get("in_scope_rejected"),
        "oos_recall": f.get("oos_recall"),
        "operating_point": f,
        "operating_curve": point.curve,
    }


def _validation_pool(fit, rows, valid_ex, index, embed: _Embedder, bg_x, bg_texts, args) -> Pool:
    """Heads fitted on `rows` (and four fifths of the background) score the validation
    examples (labelled, out-of-scope ones included; with `augment`, their noisy copies too)
    and the other fifth of the background (far)."""
    rng = np.random.default_rng(args.seed)
    bg_fit = rng.random(len(bg_texts)) < 0.8
    heads = fit(rows, bg_fit)
    vtexts = [e.text for e in valid_ex]
    gold = [index.get(e.label, -1) for e in valid_ex]
    if args.augment:
        copies = noisy_copies(vtexts, args.seed + 1)
        fresh = [i for i, c in enumerate(copies) if c.lower() != vtexts[i].lower()]
        vtexts += [copies[i] for i in fresh]
        gold += [gold[i] for i in fresh]
    vx = embed(vtexts, "validation")
    pool = Pool()
    pool.add(heads, vx, vtexts, gold, LABELLED)
    far = ~bg_fit
    far_texts = [t for t, f in zip(bg_texts, far, strict=True) if f]
    pool.add(heads, bg_x[far], far_texts, -np.ones(int(far.sum())), FAR)
    return pool


def _load_encoder(args: TrainingArgs, device: str) -> tuple[Any, EncoderClassifier]:
    from transformers import AutoModel, AutoTokenizer

    base = args.base_model or str(base_model_path())
    tokenizer = AutoTokenizer.from_pretrained(base)
    return tokenizer, EncoderClassifier(AutoModel.from_pretrained(base), 1).to(device)


def _choose_encoder(
    network: EncoderClassifier,
    tokenizer,
    texts: Sequence[str],
    x: np.ndarray,
    y: np.ndarray,
    fit_rows: np.ndarray,
    valid_ex: Sequence[Example],
    index: dict[str, int],
    args: TrainingArgs,
    device: str,
    progress: bool,
) -> dict[str, Any]:
    """Frozen head vs. fine-tuning, on the validation examples of known labels. Leaves
    `network` with the chosen encoder weights; returns the decision and its figures."""
    known = [e for e in valid_ex if e.label in index]
    if not known:
        return {"reason": "no validation examples of the trained labels"}
    vtexts = [e.text for e in known]
    vy = np.array([index[e.label] for e in known])
    n_classes = len(index)
    w, b = linear_head(x[fit_rows], y[fit_rows], n_classes, args.head_c)
    vx = _embed(network, tokenizer, vtexts, args.max_length, device, "validation", False)
    frozen_acc = float(np.mean((vx @ w.T + b).argmax(axis=1) == vy))
    out: dict[str, Any] = {"n_valid": len(known), "frozen_valid_accuracy": round(frozen_acc, 4)}
    if args.fine_tune == "auto" and frozen_acc >= 1.0:
        return out | {"reason": "the frozen head is already right on every validation turn"}
    network.head = nn.Linear(network.head.in_features, n_classes).to(device)
    with torch.no_grad():
        network.head.weight.copy_(torch.from_numpy(w))
        network.head.bias.copy_(torch.from_numpy(b))
    frozen_state = {k: v.detach().clone() for k, v in network.state_dict().items()}
    tr_texts = [texts[i] for i in fit_rows]
    tuner = _FineTuner(network, tokenizer, tr_texts, y[fit_rows], args, device, progress)
    best_acc, best_state, stale, history = -1.0, frozen_state, 0, []
    for epoch in range(args.epochs):
        tuner.epoch()
        acc = _valid_accuracy(network, tokenizer, vtexts, vy, args.max_length, device)
        history.append(round(acc, 4))
        if epoch == 0 and args.fine_tune == "auto" and acc < frozen_acc + args.fine_tune_min_gain:
            network.load_state_dict(frozen_state)
            return out | {
                "epochs": 1,
                "valid_accuracy_by_epoch": history,
                "reason": f"the probe epoch scored {acc:.4f} on validation against the frozen "
                f"head's {frozen_acc:.4f}: less than the required gain of "
                f"{args.fine_tune_min_gain}",
            }
        if acc > best_acc + 1e-9:
            best_acc, stale = acc, 0
            best_state = {k: v.detach().clone() for k, v in network.state_dict().items()}
        else:
            stale += 1
            if stale >= args.patience:
                break
    tuner.close()
    network.load_state_dict(best_state)
    return out | {
        "encoder": "fine-tuned",
        "epochs": len(history),
        "best_epoch": history.index(max(history)) + 1,
        "valid_accuracy_by_epoch": history,
        "reason": f"fine-tuning reached {best_acc:.4f} on validation against the frozen "
        f"head's {frozen_acc:.4f}",
    }


@torch.inference_mode()
def _valid_accuracy(network, tokenizer, texts, y, max_length, device) -> float:
    network.eval()
    right = 0
    for b, enc in _encoded_batches(tokenizer, texts, max_length, device):
        pred = network(enc["input_ids"], enc["attention_mask"]).argmax(dim=1).cpu().numpy()
        right += int((pred == y[b]).sum())
    return right / max(1, len(texts))


class _FineTuner:
    """AdamW over encoder + head, warm-up in the first epoch, linear decay over the most
    epochs allowed; one `epoch()` at a time so the caller can stop early."""

    def __init__(self, network, tokenizer, texts, y, args: TrainingArgs, device, progress):
        self.network, self.tokenizer, self.texts, self.args, self.device = (
            network, tokenizer, list(texts), args, device,
        )  # fmt: skip
        self.y = torch.as_tensor(y, dtype=torch.long)
        head_ids = {id(p) for p in network.head.parameters()}
        self.opt = torch.optim.AdamW(
            [
                {"params": [p for p in network.parameters() if id(p) not in head_ids],
                 "lr": args.learning_rate},
                {"params": list(network.head.parameters()), "lr": args.head_learning_rate},
            ],
            weight_decay=args.weight_decay,
        )  # fmt: skip
        per_epoch = math.ceil(len(self.texts) / args.batch_size)
        total = per_epoch * args.epochs
        warmup = max(1, int(per_epoch * args.warmup_ratio))
        self.sched = torch.optim.lr_scheduler.LambdaLR(
            self.opt,
            lambda step: (
                (step + 1) / warmup
                if step < warmup
                else max(0.0, (total - step) / max(1, total - warmup))
            ),
        )
        self.rng = np.random.default_rng(args.seed)
        self.bar = tqdm(total=total, desc="fine-tuning", disable=not progress)
        self.done = 0

    def epoch(self) -> None:
        self.network.train()
        self.done += 1
        running, steps = 0.0, 0
        for b in _batches(len(self.texts), self.args.batch_size, self.rng):
            enc = self.tokenizer(
                [self.texts[i] for i in b], padding=True, truncation=True,
                max_length=self.args.max_length, return_tensors="pt",
            ).to(self.device)  # fmt: skip
            logits = self.network(enc["input_ids"], enc["attention_mask"])
            loss = F.cross_entropy(
                logits, self.y[b].to(self.device), label_smoothing=self.args.label_smoothing
            )
            self.opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.network.parameters(), 1.0)
            self.opt.step()
            self.sched.step()
            running, steps = running + float(loss.detach()), steps + 1
            self.bar.update(1)
            self.bar.set_postfix(epoch=self.done, loss=f"{running / steps:.3f}")

    def close(self) -> None:
        self.bar.close()


def recalibrate(
    model: IntentModel, valid: Sequence[Example], reject_rate: float | None = None
) -> dict[str, float]:
    """Refit the ensemble weight, temperature and out-of-scope operating point of a trained
    model on new validation data (e.g. real traffic, out-of-scope turns labelled with the
    model's out-of-scope label), without retraining. With no out-of-scope turns in it, the
    threshold rejects `reject_rate` of the in-scope turns (default: the rate at training)."""
    index = {label: i for i, label in enumerate(model.labels)}
    oos = model.config.oos_label
    rows = [e for e in valid if e.label in index or e.label == oos]
    if not any(e.label in index and e.label != oos for e in rows):
        raise ValueError("the validation data has none of the model's labels")
    texts = [e.text for e in rows]
    pool = Pool()
    pool.add_logits(
        model.network_logits(texts),
        model.ngram.logits(texts) if model.ngram is not None else None,
        [index.get(e.label, -1) for e in rows],
        LABELLED,
    )
    oos_index = index.get(oos)
    share = float(model.config.training.get("oos_share", 0.5))
    point = choose(pool, oos_index, model.ngram is not None, share)
    model.config.ngram_weight = point.ngram_weight if model.ngram is not None else 0.0
    model.config.temperature = point.temperature
    if any(e.label == oos for e in rows):
        model.config.oos_threshold = point.threshold
    else:
        rate = reject_rate
        if rate is None:
            rate = float(model.config.validation.get("simulated_oos_rejection_rate") or 0.0)
        conf = np.sort(model.probabilities([e.text for e in rows if e.label != oos]).max(axis=1))
        k = int(np.floor(rate * len(conf)))
        model.config.oos_threshold = float(conf[k]) if rate > 0 and k < len(conf) else 0.0
    return {"temperature": model.config.temperature, "oos_threshold": model.config.oos_threshold}


def update(
    previous: str | Path,
    train_examples: Sequence[Example],
    valid: Sequence[Example] | None = None,
    max_drop: float = 0.01,
    progress: bool = True,
) -> IntentModel:
    """Retrain after small edits to the data (a few examples added, an intent renamed or
    added): keep the previous model's encoder, fine-tuned or not, and refit only the
    heads, the n-gram partner and the operating point, with the previous model's training
    arguments. That takes seconds to a minute where a full training with fine-tuning takes
    many minutes. When the held-out accuracy falls more than `max_drop` below the previous
    model's, the edits were not small: a full training runs instead (with fine-tuning as
    the arguments decide), and the model's config says so."""
    prev_dir = Path(previous)
    if not (prev_dir / "config.json").is_file():
        raise ModelLoadError(prev_dir, "no config.json to update from")
    config = json.loads((prev_dir / "config.json").read_text(encoding="utf-8"))
    packaged = config.get("encoder", TRANSFORMERS) != TRANSFORMERS  # frozen, nothing to keep
    if not packaged and not (prev_dir / "encoder").is_dir():
        raise ModelLoadError(prev_dir, "no encoder/ to update from")
    stored = config.get("training", {})
    known = {f.name for f in fields(TrainingArgs)}
    base_args = TrainingArgs.from_dict({k: v for k, v in stored.items() if k in known})
    kept = (
        base_args
        if packaged
        else replace(base_args, base_model=str(prev_dir / "encoder"), fine_tune="never")
    )
    model = train(train_examples, kept, valid, progress)
    before = (config.get("validation") or {}).get("accuracy")
    after = model.config.validation.get("accuracy")
    reason = (
        f"kept the encoder of {prev_dir}; held-out accuracy {after:.4f} "
        + (f"(previous model {before:.4f})" if before is not None else "")
        if after is not None
        else f"kept the encoder of {prev_dir}"
    )
    if before is not None and after is not None and after < before - max_drop:
        log.warning("held-out accuracy fell from %.4f to %.4f: full training", before, after)
        model = train(train_examples, base_args, valid, progress)
        reason = (
            f"full training: with the encoder of {prev_dir} kept, held-out accuracy fell "
            f"from {before:.4f} to {after:.4f} (more than {max_drop})"
        )
        model.config.training["update"] = {"from": str(prev_dir), "kept_encoder": False}
    else:
        model.config.training["update"] = {"from": str(prev_dir), "kept_encoder": True}
        model.config.training["base_model"] = stored.get("base_model")
    model.config.training["update"]["reason"] = reason
    return model
