"""The out-of-scope background: generic out-of-domain utterances (small talk, alarms,
music, weather, ...) that the trainer adds as an out-of-scope class when a bot's own data
has none, so that the model learns a region for "none of my intents" instead of forcing
every turn into the nearest intent.

The shipped set is `data/background/background.csv` (HWU64 training utterances, CC BY 4.0,
built by `data/tools/build_background.py`). A bot's own intents may overlap it (a bot with
a `greet` intent, a food-ordering bot): background utterances whose embedding is closer
than `max_similarity` (cosine) to any training utterance are dropped before training.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file

from intent.data import DataFormatError
from intent.resources import data_path

log = logging.getLogger(__name__)
BUILTIN = "builtin"


def background_path(spec: str) -> Path:
    return data_path("background", "background.csv") if spec == BUILTIN else Path(spec)


@dataclass(frozen=True)
class Background:
    texts: list[str]
    groups: list[str]  # topic of each text (the CSV's `source`, e.g. `hwu64:alarm_set`); "" if none


def load_background(spec: str) -> Background:
    """Utterances of a background file: a CSV with a `text` column (and optionally a
    `source` column naming each one's topic), or a text file with one utterance per line.
    `spec` is a path or "builtin" (the shipped set)."""
    path = background_path(spec)
    if not path.is_file():
        raise DataFormatError(f"{path}: background file not found")
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if "text" not in (reader.fieldnames or []):
                raise DataFormatError(f"{path}: a background CSV needs a `text` column")
            rows = [
                ((r.get("text") or "").strip(), (r.get("source") or "").strip()) for r in reader
            ]
    else:
        rows = [(line.strip(), "") for line in path.read_text(encoding="utf-8").splitlines()]
    first: dict[str, str] = {}  # text -> group, first occurrence wins
    for text, group in rows:
        if text and text not in first:
            first[text] = group
    if not first:
        raise DataFormatError(f"{path}: no utterances")
    return Background(list(first), list(first.values()))


def max_similarity(candidates: np.ndarray, reference: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """For each candidate row, its highest cosine similarity to any reference row (both
    L2-normalised)."""
    if len(reference) == 0:
        return np.full(len(candidates), -1.0, dtype=np.float32)
    out = np.empty(len(candidates), dtype=np.float32)
    for i in range(0, len(candidates), chunk):
        out[i : i + chunk] = (candidates[i : i + chunk] @ reference.T).max(axis=1)
    return out


def select_background(
    background: np.ndarray,
    train: np.ndarray,
    max_sim: float,
    limit: int,
    seed: int,
    groups: list[str] | None = None,
    group_overlap: float = 0.1,
    *,
    labels: Sequence[str] | None = None,
    topic_similarity: float = 0.6,
    oos_label: str | None = None,
) -> np.ndarray:
    """Indices of the background rows to use: not closer than `max_sim` to any training
    row, and not of a topic (group) the bot covers: one of which `group_overlap` or more
    of the rows are that close (a home-assistant bot with an alarm intent loses the whole
    alarm group, not only its nearest lines), or whose centroid is within cosine
    `topic_similarity` of an intent's centroid (`labels`: the training rows' labels; the
    out-of-scope label's own rows are not an intent). A few examples per intent rarely
    come within `max_sim` of a broad topic's lines, while the centroids of the same intent
    from two sources meet at 0.87 or more; unrelated topics stay under 0.56 (90th
    percentile, docs/classifier.md). At most `limit` rows, drawn at random."""
    near = max_similarity(background, train) >= max_sim
    drop = near.copy()
    if groups is not None:
        names = np.array(groups)
        intents = _centroids(train, labels, oos_label) if labels is not None else None
        for name in np.unique(names[names != ""]):
            member = names == name
            covered = near[member].mean() >= group_overlap
            if not covered and intents is not None and len(intents):
                topic = _unit(background[member].mean(axis=0))
                covered = float((intents @ topic).max()) >= topic_similarity
            if covered:
                drop |= member
    keep = np.flatnonzero(~drop)
    if len(keep) > limit:
        keep = np.sort(np.random.default_rng(seed).choice(keep, size=limit, replace=False))
    return keep


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def _centroids(x: np.ndarray, labels: Sequence[str], oos_label: str | None) -> np.ndarray:
    """One unit centroid per intent of the training rows (not the out-of-scope label)."""
    names = np.asarray(labels)
    rows = [_unit(x[names == n].mean(axis=0)) for n in np.unique(names) if n != oos_label]
    return np.array(rows) if rows else np.zeros((0, x.shape[1]), dtype=x.dtype)


def cache_dir() -> Path:
    """`AGENT_ASSIST_CACHE_DIR`, else `$XDG_CACHE_HOME/agent-assist` (~/.cache)."""
    explicit = os.environ.get("AGENT_ASSIST_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "agent-assist"


def embed_cached(texts: list[str], identity: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
    """The background's embeddings by the base encoder, cached as safetensors keyed by the
    texts and `identity` (the encoder's files and settings): the background is the same for
    every training, so each training after the first skips embedding it. A cache that
    cannot be read or written is recomputed / skipped."""
    digest = hashlib.sha256(identity.encode())
    for t in texts:
        digest.update(t.encode("utf-8") + b"\n")
    path = cache_dir() / "background" / f"{digest.hexdigest()[:24]}.safetensors"
    try:
        cached = load_file(str(path))["embeddings"]
        if cached.shape[0] == len(texts):
            return cached
    except (OSError, KeyError, ValueError, SafetensorError):
        pass
    x = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        save_file({"embeddings": np.ascontiguousarray(x, dtype=np.float32)}, str(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        log.info("background embeddings not cached (%s)", exc)
    return x


def encoder_identity(model_dir: str | Path, max_length: int) -> str:
    """What the base encoder's embeddings depend on: its weight files (name, size, mtime)
    and the token limit."""
    d = Path(model_dir)
    parts = [f"max_length={max_length}", str(d.resolve())]
    for f in sorted(d.rglob("*")):
        if f.is_file() and f.suffix in (".safetensors", ".bin", ".json", ".txt"):
            st = f.stat()
            parts.append(f"{f.relative_to(d)}:{st.st_size}:{int(st.st_mtime)}")
    return "|".join(parts)
