"""Labelled-utterance data sets: load any of the documented formats, split them.

Formats (chosen by path):
- CSV with a header holding `text` and `label` columns (`utterance`/`intent` and
  `text`/`category` are accepted as aliases, so BANKING77 and Bitext CSVs load as they are);
- Rasa NLU YAML (`nlu: - intent: NAME  examples: | - text`), entity annotations
  `[value](entity)` are stripped to their value;
- a directory with `seq.in` and `label` files, one utterance / label per line
  (the few-shot intent-detection layout of HWU64 and BANKING77).
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml


class DataFormatError(ValueError):
    """A data set file that cannot be read as labelled utterances."""


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str


_TEXT_COLUMNS = ("text", "utterance", "instruction", "sentence")
_LABEL_COLUMNS = ("label", "intent", "category")
_RASA_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def load_examples(path: str | Path, lowercase: bool = False) -> list[Example]:
    """Load a CSV, Rasa NLU YAML file or `seq.in`/`label` directory."""
    p = Path(path)
    if not p.exists():
        raise DataFormatError(f"{p}: no such file or directory")
    if p.is_dir():
        examples = _load_seq_dir(p)
    elif p.suffix.lower() in (".yml", ".yaml"):
        examples = _load_rasa_yaml(p)
    elif p.suffix.lower() in (".csv", ".tsv"):
        examples = _load_csv(p)
    else:
        raise DataFormatError(
            f"{p}: unknown format (expected .csv, .yml/.yaml Rasa NLU, or a seq.in/label directory)"
        )
    if not examples:
        raise DataFormatError(f"{p}: no labelled utterances found")
    if lowercase:
        examples = [Example(e.text.lower(), e.label) for e in examples]
    return examples


def _load_csv(p: Path) -> list[Example]:
    delimiter = "\t" if p.suffix.lower() == ".tsv" else ","
    with p.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        text_col = next((c for c in _TEXT_COLUMNS if c in fields), None)
        label_col = next((c for c in _LABEL_COLUMNS if c in fields), None)
        if text_col is None or label_col is None:
            raise DataFormatError(
                f"{p}: a CSV needs a header with a text column ({'/'.join(_TEXT_COLUMNS)}) "
                f"and a label column ({'/'.join(_LABEL_COLUMNS)}); found {fields}"
            )
        original = {f.strip().lower(): f for f in reader.fieldnames or []}
        out = []
        for row in reader:
            text = (row.get(original[text_col]) or "").strip()
            label = (row.get(original[label_col]) or "").strip()
            if text and label:
                out.append(Example(text, label))
        return out


def _load_rasa_yaml(p: Path) -> list[Example]:
    try:
        doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataFormatError(f"{p}: not valid YAML: {exc}") from exc
    items = doc.get("nlu") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        raise DataFormatError(f"{p}: a Rasa NLU file needs a top-level `nlu:` list")
    out = []
    for item in items:
        if not isinstance(item, dict) or "intent" not in item:
            continue  # synonyms, regexes, lookups
        label = str(item["intent"]).strip()
        for line in str(item.get("examples") or "").splitlines():
            line = line.strip()
            if not line.startswith("-"):
                continue
            text = _RASA_ENTITY.sub(r"\1", line[1:].strip()).strip()
            if text:
                out.append(Example(text, label))
    return out


def _load_seq_dir(p: Path) -> list[Example]:
    seq, lab = p / "seq.in", p / "label"
    if not (seq.exists() and lab.exists()):
        raise DataFormatError(f"{p}: a data directory needs `seq.in` and `label` files")
    texts = seq.read_text(encoding="utf-8").splitlines()
    labels = lab.read_text(encoding="utf-8").splitlines()
    if len(texts) != len(labels):
        raise DataFormatError(f"{p}: seq.in has {len(texts)} lines but label has {len(labels)}")
    return [Example(t.strip(), y.strip()) for t, y in zip(texts, labels, strict=True) if t.strip()]


def labels_of(examples: Iterable[Example]) -> list[str]:
    """Sorted distinct labels."""
    return sorted({e.label for e in examples})


def stratified_split(
    examples: Sequence[Example], fraction: float, seed: int = 13, min_per_label: int = 1
) -> tuple[list[Example], list[Example]]:
    """Split off about `fraction` of each label (at least `min_per_label` where the label
    has more than that many examples). Returns (kept, held_out)."""
    if not 0.0 < fraction < 1.0:
        raise ValueError("fraction must be in (0, 1)")
    by_label: dict[str, list[Example]] = defaultdict(list)
    for e in examples:
        by_label[e.label].append(e)
    rng = random.Random(seed)
    kept: list[Example] = []
    held: list[Example] = []
    for label in sorted(by_label):
        items = list(by_label[label])
        rng.shuffle(items)
        n_held = (
            max(min_per_label, round(len(items) * fraction)) if len(items) > min_per_label else 0
        )
        held.extend(items[:n_held])
        kept.extend(items[n_held:])
    return kept, held


def write_csv(examples: Iterable[Example], path: str | Path) -> None:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    with p.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label"])
        for e in examples:
            w.writerow([e.text, e.label])
