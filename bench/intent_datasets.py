"""Data-set registry of the intent benchmark.

A data set is a (train, test) pair of paths in any format `intent.data.load_examples`
reads (CSV `text,label` and its aliases, Rasa NLU YAML, a `seq.in`/`label` directory),
plus whether to lower-case the texts. Built-in paths are relative to `--datasets-root`;
paths given with `--dataset name=TRAIN,TEST[,lowercase]` are taken as written (relative
to the current directory, or absolute).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from intent.data import Example, load_examples

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TRUE = {"lowercase", "lower", "lc", "true", "1", "yes"}
_FALSE = {"", "cased", "false", "0", "no"}


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    train: str
    test: str
    lowercase: bool = False
    builtin: bool = False  # paths relative to the datasets root

    def paths(self, root: str | Path) -> tuple[Path, Path]:
        if self.builtin:
            return Path(root) / self.train, Path(root) / self.test
        return Path(self.train).expanduser(), Path(self.test).expanduser()

    def load(self, root: str | Path) -> tuple[list[Example], list[Example]]:
        train_path, test_path = self.paths(root)
        return (
            load_examples(train_path, lowercase=self.lowercase),
            load_examples(test_path, lowercase=self.lowercase),
        )

    def fingerprint(self, root: str | Path) -> dict[str, object]:
        """What identifies the data: the spec plus every file's size and mtime."""
        train_path, test_path = self.paths(root)
        return {
            "spec": {k: v for k, v in asdict(self).items() if k != "builtin"},
            "train_files": files_fingerprint(train_path),
            "test_files": files_fingerprint(test_path),
        }


_B77 = "banking77"
_BITEXT = "bitext/Bitext_Sample_Customer_Service_{}_Dataset.csv"
BUILTIN: dict[str, DatasetSpec] = {
    s.name: s
    for s in (
        DatasetSpec("banking77_full", f"{_B77}/train.csv", f"{_B77}/test.csv", False, True),
        DatasetSpec(
            "banking77_10shot", f"{_B77}/few_shot/train_10", f"{_B77}/test.csv", True, True
        ),
        DatasetSpec("hwu64_full", "hwu64/train", "hwu64/test", False, True),
        DatasetSpec("hwu64_10shot", "hwu64/train_10", "hwu64/test", False, True),
        DatasetSpec("bitext", _BITEXT.format("Training"), _BITEXT.format("Testing"), False, True),
    )
}


def parse_dataset_spec(text: str) -> DatasetSpec:
    """Parse `name=TRAIN_PATH,TEST_PATH[,lowercase]`."""
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not _NAME.match(name):
        raise ValueError(
            f"--dataset {text!r}: expected NAME=TRAIN_PATH,TEST_PATH[,lowercase] "
            "with NAME made of letters, digits, '_', '-', '.'"
        )
    parts = [p.strip() for p in rest.split(",")]
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise ValueError(f"--dataset {text!r}: expected NAME=TRAIN_PATH,TEST_PATH[,lowercase]")
    lowercase = False
    if len(parts) == 3:
        flag = parts[2].lower()
        if flag in _TRUE:
            lowercase = True
        elif flag not in _FALSE:
            raise ValueError(f"--dataset {text!r}: third field must be 'lowercase' or 'cased'")
    return DatasetSpec(name, parts[0], parts[1], lowercase, builtin=False)


def build_registry(extra: Sequence[str] = ()) -> dict[str, DatasetSpec]:
    """Built-in data sets plus user specs (a user spec may replace a built-in name)."""
    registry = dict(BUILTIN)
    for text in extra:
        spec = parse_dataset_spec(text)
        registry[spec.name] = spec
    return registry


def files_fingerprint(path: Path) -> list[list[object]]:
    """[relative name, size, mtime_ns] of a file, or of every file under a directory."""
    if path.is_file():
        st = path.stat()
        return [[path.name, st.st_size, st.st_mtime_ns]]
    if path.is_dir():
        out: list[list[object]] = []
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            st = f.stat()
            out.append([f.relative_to(path).as_posix(), st.st_size, st.st_mtime_ns])
        return out
    return [[str(path), "missing"]]


def stable_hash(obj: object) -> str:
    blob = json.dumps(obj, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def cap_per_label(examples: Sequence[Example], per_label: int, seed: int = 0) -> list[Example]:
    """At most `per_label` examples of each label (a seeded sample, original order kept)."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(examples):
        by_label[e.label].append(i)
    rng = random.Random(seed)
    keep: set[int] = set()
    for label in sorted(by_label):
        idx = by_label[label]
        keep.update(idx if len(idx) <= per_label else rng.sample(idx, per_label))
    return [e for i, e in enumerate(examples) if i in keep]


def cap_total(examples: Sequence[Example], n: int, seed: int = 0) -> list[Example]:
    """A seeded sample of at most `n` examples, original order kept."""
    if len(examples) <= n:
        return list(examples)
    keep = set(random.Random(seed).sample(range(len(examples)), n))
    return [e for i, e in enumerate(examples) if i in keep]


def select_names(
    names: str | None, known: Iterable[str], what: str, default: Iterable[str] | None = None
) -> list[str]:
    """The comma-separated `names` (e.g. `--datasets a,b`), checked against `known`; none
    given: `default` (else every known name)."""
    known = list(known)
    if not names:
        return list(known if default is None else default)
    picked = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in picked if n not in known]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(known)})")
    return picked
