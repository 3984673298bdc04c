"""Training: frozen-embedding head fit -> fine-tuning -> n-gram partner -> temperature ->
out-of-scope operating point, all chosen on validation data."""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.linear_model import LogisticRegression
from tqdm.auto import tqdm

from intent.calibration import (
    balanced_threshold,
    expected_calibration_error,
    fit_temperature,
    nll,
    softmax,
)
from intent.data import Example, labels_of, stratified_split
from intent.encoder import base_model_path
from intent.modeling import EncoderClassifier, IntentModel, ModelConfig
from intent.ngram import NgramModel
from intent.training_args import TrainingArgs

log = logging.getLogger(__name__)
RECIPE_REVISION = 2  # bump when a change here changes what a trained model is
NGRAM_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)


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
    out = []
    for b in tqdm(_batches(len(texts), 128), desc=desc, disable=not progress, leave=False):
        enc = tokenizer(
            [texts[i] for i in b],
            padding=True,
            truncation=True,
            max_length=max_length,
            return_tensors="pt",
        ).to(device)
        out.append(network.embed(enc["input_ids"], enc["attention_mask"]).float().cpu().numpy())
    return np.concatenate(out)


def _fit_head(
    x: np.ndarray, y: np.ndarray, n_classes: int, c: float
) -> tuple[np.ndarray, np.ndarray]:
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(x, y)
    w = np.zeros((n_classes, x.shape[1]), dtype=np.float32)
    b = np.full(n_classes, -10.0, dtype=np.float32)
    w[lr.classes_] = lr.coef_
    b[lr.classes_] = lr.intercept_
    return w, b


def _proxy_rejection_rate(
    x: np.ndarray, y: np.ndarray, xv: np.ndarray, yv: np.ndarray, n_classes: int, args: TrainingArgs
) -> float:
    """Simulate unknown intents: hold out a share of the intents, fit a frozen-embedding
    head on the rest, and find the balanced operating point on validation. Returns the
    share of known-intent validation turns rejected there (transferred to the real model
    as a quantile)."""
    rng = np.random.default_rng(args.seed)
    classes = np.unique(y)
    n_out = max(1, int(round(len(classes) * args.oos_holdout_fraction)))
    if len(classes) - n_out < 2:
        return 0.0
    held = set(rng.choice(classes, size=n_out, replace=False).tolist())
    keep = np.array([c not in held for c in y])
    w, b = _fit_head(x[keep], y[keep], n_classes, args.head_c)
    pv = softmax(xv @ w.T + b)
    known = np.array([c not in held for c in yv])
    if known.sum() == 0 or (~known).sum() == 0:
        return 0.0
    conf = pv.max(axis=1)
    correct = pv.argmax(axis=1) == yv
    t = balanced_threshold(conf[known], correct[known], conf[~known])
    return float(np.mean(conf[known] < t))


def choose_threshold(
    model: IntentModel,
    texts: Sequence[str],
    probs: np.ndarray,
    gold: Sequence[str],
    reject_rate: float = 0.0,
) -> float:
    """The out-of-scope operating point on validation data.

    With OOS examples (gold == the model's OOS label): the threshold that maximises the
    mean of in-scope accuracy (right and accepted) and OOS recall. Without: the highest
    threshold rejecting at most `reject_rate` of the in-scope turns (the rate found by the
    held-out-intent simulation), robust to confidences tied at 1.0."""
    oos = model.config.oos_label
    model.config.oos_threshold = 0.0
    preds = model.decide(texts, probs) if len(texts) else []
    ins = [i for i, g in enumerate(gold) if g != oos]
    outs = [i for i, g in enumerate(gold) if g == oos]
    if not ins:
        return 0.0
    conf_in = np.array([preds[i].confidence for i in ins])
    if outs:
        correct_in = np.array(
            [not preds[i].out_of_scope and preds[i].intent == gold[i] for i in ins]
        )
        conf_out = np.array([-1.0 if preds[i].out_of_scope else preds[i].confidence for i in outs])
        return balanced_threshold(conf_in, correct_in, conf_out)
    if reject_rate <= 0:
        return 0.0
    ordered = np.sort(conf_in)
    k = int(np.floor(reject_rate * len(ordered)))
    return float(ordered[k]) if k < len(ordered) else float(ordered[-1])


def recalibrate(
    model: IntentModel, valid: Sequence[Example], reject_rate: float | None = None
) -> dict[str, float]:
    """Refit the temperature and the out-of-scope operating point of a trained model on new
    validation data (e.g. real OOS traffic), without retraining."""
    index = {label: i for i, label in enumerate(model.labels)}
    known = [e for e in valid if e.label in index]
    rest = [e for e in valid if e.label not in index and e.label == model.config.oos_label]
    if not known:
        raise ValueError("the validation data has none of the model's labels")
    texts = [e.text for e in known] + [e.text for e in rest]
    z = model.combined_logits(texts)
    y = np.array([index[e.label] for e in known])
    model.config.temperature = fit_temperature(z[: len(known)], y)
    probs = softmax(z, model.config.temperature)
    if reject_rate is None:
        reject_rate = float(model.config.validation.get("simulated_oos_rejection_rate") or 0.0)
    gold = [e.label for e in known] + [e.label for e in rest]
    model.config.oos_threshold = choose_threshold(model, texts, probs, gold, reject_rate)
    return {"temperature": model.config.temperature, "oos_threshold": model.config.oos_threshold}


def train(
    train_examples: Sequence[Example],
    args: TrainingArgs | None = None,
    valid: Sequence[Example] | None = None,
    progress: bool = True,
) -> IntentModel:
    """Train an intent model. `valid` (or a stratified share of the training data) is used
    only for calibration, the ensemble weight and the out-of-scope operating point."""
    args = args or TrainingArgs()
    if len(train_examples) < 2:
        raise ValueError("need at least two training examples")
    _seed_all(args.seed)
    started = time.perf_counter()
    device = _device(args.device)
    all_examples = list(train_examples)
    refit = False
    if valid is None or len(valid) == 0:
        per_label = len(all_examples) / max(1, len(labels_of(all_examples)))
        refit = per_label < args.refit_below
        train_examples, valid = stratified_split(train_examples, args.valid_fraction, args.seed)
    labels = labels_of(train_examples)
    if len(labels) < 2:
        raise ValueError("need at least two distinct labels")
    index = {label: i for i, label in enumerate(labels)}
    oos_label = args.oos_label or "out_of_scope"
    texts = [e.text for e in train_examples]
    y = np.array([index[e.label] for e in train_examples])
    valid_known = [e for e in valid if e.label in index]  # incl. a trained OOS class
    valid_oos = [e for e in valid if e.label not in index and e.label == oos_label]
    has_oos_examples = any(e.label == oos_label for e in valid)
    vtexts = [e.text for e in valid_known]
    yv = np.array([index[e.label] for e in valid_known], dtype=int)

    tokenizer, network, x = _build_network(texts, y, len(labels), args, device, progress)
    reject_rate = 0.0
    if not has_oos_examples and len(vtexts) > 0:
        xv = _embed(network, tokenizer, vtexts, args.max_length, device, "embedding", False)
        reject_rate = _proxy_rejection_rate(x, y, xv, yv, len(labels), args)
    if args.epochs > 0:
        _fine_tune(network, tokenizer, texts, y, args, device, progress)
    network.eval()

    model = IntentModel(
        ModelConfig(labels=labels, oos_label=oos_label, max_length=args.max_length),
        network,
        tokenizer,
        device=device,
    )
    # 3. n-gram partner and its weight, temperature, operating point: on validation
    all_vtexts = vtexts + [e.text for e in valid_oos]
    zv_nn = model.network_logits(all_vtexts) if all_vtexts else np.zeros((0, len(labels)))
    zv_ng = None
    if args.ngram_ensemble:
        model.ngram = NgramModel.fit(texts, y, len(labels), min_df=2 if len(texts) > 5000 else 1)
        zv_ng = model.ngram.logits(all_vtexts) if all_vtexts else None
    n_known = len(vtexts)
    best = (math.inf, 0.0, 1.0)
    for weight in NGRAM_WEIGHTS if zv_ng is not None else (0.0,):
        z = zv_nn if zv_ng is None else (1 - weight) * zv_nn + weight * zv_ng
        t = fit_temperature(z[:n_known], yv)
        loss = nll(z[:n_known], yv, t) if n_known else 0.0
        if loss < best[0] - 1e-6:
            best = (loss, weight, t)
    _, model.config.ngram_weight, model.config.temperature = best
    if model.config.ngram_weight == 0.0:
        model.ngram = None
    z = model.combined_logits(all_vtexts, zv_nn, zv_ng) if all_vtexts else zv_nn
    probs = softmax(z, model.config.temperature)
    gold = [e.label for e in valid_known] + [e.label for e in valid_oos]
    model.config.oos_threshold = choose_threshold(model, all_vtexts, probs, gold, reject_rate)
    preds = model.decide(all_vtexts, probs) if all_vtexts else []
    correct = np.array([p.intent == labels[c] for p, c in zip(preds[:n_known], yv, strict=True)])
    top_correct = probs[:n_known].argmax(axis=1) == yv if n_known else np.zeros(0, bool)
    if refit:  # calibration chosen above; now learn from every example
        full_texts = [e.text for e in all_examples]
        full_y = np.array([index[e.label] for e in all_examples])
        _, network, _ = _build_network(full_texts, full_y, len(labels), args, device, progress)
        if args.epochs > 0:
            _fine_tune(network, tokenizer, full_texts, full_y, args, device, progress)
        model.network = network.eval()
        if model.ngram is not None:
            model.ngram = NgramModel.fit(full_texts, full_y, len(labels))
        texts = full_texts
    model.config.training = args.to_dict() | {
        "refit_on_all": refit,
        "n_train": len(texts),
        "train_seconds": round(time.perf_counter() - started, 1),
        "device": device,
    }
    model.config.validation = {
        "n": n_known,
        "n_oos": len(valid_oos),
        "accuracy": float(top_correct.mean()) if n_known else None,
        "ece": expected_calibration_error(probs[:n_known].max(axis=1), top_correct)
        if n_known
        else None,
        "simulated_oos_rejection_rate": reject_rate,
        "accuracy_at_operating_point": float(correct.mean()) if n_known else None,
    }
    model.device = device
    return model


def _build_network(
    texts: Sequence[str],
    y: np.ndarray,
    n_classes: int,
    args: TrainingArgs,
    device: str,
    progress: bool,
) -> tuple[Any, EncoderClassifier, np.ndarray]:
    """Base encoder + a head fitted on its frozen embeddings (keeps the encoder's pooling:
    a far better start than a random head, above all for few-shot data)."""
    from transformers import AutoModel, AutoTokenizer

    base = args.base_model or str(base_model_path())
    tokenizer = AutoTokenizer.from_pretrained(base)
    network = EncoderClassifier(AutoModel.from_pretrained(base), n_classes).to(device)
    x = _embed(network, tokenizer, texts, args.max_length, device, "embedding", progress)
    w, b = _fit_head(x, y, n_classes, args.head_c)
    with torch.no_grad():
        network.head.weight.copy_(torch.from_numpy(w))
        network.head.bias.copy_(torch.from_numpy(b))
    return tokenizer, network, x


def _fine_tune(
    network: EncoderClassifier,
    tokenizer,
    texts: Sequence[str],
    y: np.ndarray,
    args: TrainingArgs,
    device: str,
    progress: bool,
) -> None:
    network.train()
    head_params = list(network.head.parameters())
    head_ids = {id(p) for p in head_params}
    enc_params = [p for p in network.parameters() if id(p) not in head_ids]
    opt = torch.optim.AdamW(
        [
            {"params": enc_params, "lr": args.learning_rate},
            {"params": head_params, "lr": args.head_learning_rate},
        ],
        weight_decay=args.weight_decay,
    )
    steps_per_epoch = math.ceil(len(texts) / args.batch_size)
    epochs = max(args.epochs, math.ceil(args.min_steps / steps_per_epoch))
    total = steps_per_epoch * epochs
    warmup = int(total * args.warmup_ratio)

    def schedule(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (total - step) / max(1, total - warmup))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, schedule)
    rng = np.random.default_rng(args.seed)
    yt = torch.as_tensor(y, dtype=torch.long)
    bar = tqdm(total=total, desc="fine-tuning", disable=not progress)
    for epoch in range(epochs):
        running = 0.0
        for step, b in enumerate(_batches(len(texts), args.batch_size, rng), 1):
            enc = tokenizer(
                [texts[i] for i in b],
                padding=True,
                truncation=True,
                max_length=args.max_length,
                return_tensors="pt",
            ).to(device)
            logits = network(enc["input_ids"], enc["attention_mask"])
            loss = F.cross_entropy(logits, yt[b].to(device), label_smoothing=args.label_smoothing)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            opt.step()
            sched.step()
            running += float(loss.detach())
            bar.update(1)
            bar.set_postfix(epoch=epoch + 1, loss=f"{running / step:.3f}")
    bar.close()
