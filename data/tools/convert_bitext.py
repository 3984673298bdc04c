"""Build the demo intent data in `data/intents/` from the public Bitext split + our own intents.

    python data/tools/convert_bitext.py [--bitext DIR] [--out DIR]

Inputs
- `--bitext DIR` (default `../shared/datasets/bitext` from the repo root): the official
  Bitext customer-service intent split,
  `Bitext_Sample_Customer_Service_{Training,Validation,Testing}_Dataset.csv`.
- `data/tools/handwritten/<intent>.txt`: intents Bitext lacks, one utterance per line,
  written for this project.
- `data/tools/handwritten/supplements/<intent>.txt`: extra utterances for Bitext intents,
  written for this project, for the ways customers put it that Bitext lacks (short turns
  without an order number: "where is my order?").

Outputs (deterministic: same inputs, same bytes)
- `nlu.yml`: Rasa NLU YAML, Bitext training split + the train part of the hand-written intents.
- `valid.csv`, `test.csv` (`text,label`): Bitext validation / testing splits + the held-out
  parts of the hand-written intents. Rows whose text equals a training text when
  case and spaces are ignored are dropped, so nothing evaluated was seen in training.
- `README.md`: what the files are, the command that made them, counts, license.

Hand-written lines (both kinds) are split by their position i (0-based) in their file:
i % 10 in (4, 9) -> test (every 5th line), i % 10 == 7 -> valid, the rest -> train.
Entity annotations are not written: entities are extracted by patterns (`intent/entities.py`).

Standard library + PyYAML only.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
HANDWRITTEN_DIR = Path(__file__).resolve().parent / "handwritten"
SUPPLEMENTS = "supplements"  # sub-folder of HANDWRITTEN_DIR: extra lines for Bitext intents
DEFAULT_BITEXT = REPO_ROOT.parent / "shared" / "datasets" / "bitext"
DEFAULT_OUT = REPO_ROOT / "data" / "intents"
BITEXT_FILE = "Bitext_Sample_Customer_Service_{}_Dataset.csv"
SPLITS = {"train": "Training", "valid": "Validation", "test": "Testing"}

Row = tuple[str, str]  # (text, label)

# Characters Rasa's example parser or a YAML block scalar would misread.
_UNSAFE = re.compile(r"[\[\]{}\t\r\n\x00-\x08\x0b-\x1f\x7f]")


class ConversionError(ValueError):
    """Input data that cannot be converted as it is."""


def _key(text: str) -> str:
    """Comparison key: case and runs of spaces ignored."""
    return " ".join(text.lower().split())


def _clean(text: str, where: str) -> str:
    text = " ".join(text.split())
    if _UNSAFE.search(text):
        raise ConversionError(f"{where}: unsafe character in {text!r}")
    return text


def read_bitext(bitext_dir: Path, split: str) -> list[Row]:
    path = bitext_dir / BITEXT_FILE.format(SPLITS[split])
    if not path.is_file():
        raise ConversionError(f"{path}: not found (pass --bitext DIR)")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if not {"utterance", "intent"} <= set(reader.fieldnames or ()):
            raise ConversionError(f"{path}: expected `utterance` and `intent` columns")
        return [
            (_clean(r["utterance"], f"{path.name}:{n}"), r["intent"].strip())
            for n, r in enumerate(reader, start=2)
            if r["utterance"].strip()
        ]


def read_handwritten(directory: Path, required: bool = True) -> dict[str, dict[str, list[Row]]]:
    """{intent: {split: rows}} from `<intent>.txt` files, split by line position."""
    out: dict[str, dict[str, list[Row]]] = {}
    for path in sorted(directory.glob("*.txt")):
        intent = path.stem
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        parts: dict[str, list[Row]] = {"train": [], "valid": [], "test": []}
        for i, line in enumerate(lines):
            split = "test" if i % 10 in (4, 9) else "valid" if i % 10 == 7 else "train"
            parts[split].append((_clean(line, f"{path.name}:{i + 1}"), intent))
        out[intent] = parts
    if not out and required:
        raise ConversionError(f"{directory}: no hand-written <intent>.txt files")
    return out


def _check_no_duplicates(rows: Iterable[Row], taken: dict[str, str]) -> None:
    """Raise when a row's text (case and spaces ignored) is in `taken` or repeats a row."""
    seen = dict(taken)
    for text, label in rows:
        k = _key(text)
        if k in seen:
            raise ConversionError(
                f"hand-written {label}: {text!r} duplicates an example of {seen[k]}"
            )
        seen[k] = label


def build(bitext_dir: Path, handwritten_dir: Path) -> dict[str, list[Row]]:
    """The three splits, Bitext rows first (file order), then hand-written (intent order)."""
    splits = {s: read_bitext(bitext_dir, s) for s in SPLITS}
    bitext_intents = {label for _, label in splits["train"]}
    handwritten = read_handwritten(handwritten_dir)
    clash = bitext_intents & set(handwritten)
    if clash:
        raise ConversionError(f"hand-written intents also in Bitext: {sorted(clash)}")
    supplements = read_handwritten(handwritten_dir / SUPPLEMENTS, required=False)
    unknown = set(supplements) - bitext_intents
    if unknown:
        raise ConversionError(f"supplements for intents not in Bitext: {sorted(unknown)}")
    # The hand-written files must repeat neither themselves nor Bitext (same text, any label).
    bitext_keys = {_key(t): label for s in SPLITS for t, label in splits[s]}
    added = [handwritten[i] for i in sorted(handwritten)] + [
        supplements[i] for i in sorted(supplements)
    ]
    for parts in added:
        for s in SPLITS:
            splits[s].extend(parts[s])
    _check_no_duplicates((r for parts in added for s in SPLITS for r in parts[s]), bitext_keys)
    # Bitext's official split has a few case-only twins across splits: drop them from eval.
    seen = {_key(t) for t, _ in splits["train"]}
    for s in ("valid", "test"):
        kept = []
        for row in splits[s]:
            if _key(row[0]) not in seen:
                kept.append(row)
                seen.add(_key(row[0]))
        splits[s] = kept
    return splits


def render_nlu(rows: Sequence[Row]) -> str:
    by_intent: dict[str, list[str]] = {}
    for text, label in rows:
        by_intent.setdefault(label, []).append(text)
    lines = [
        "# Generated by data/tools/convert_bitext.py - do not edit; see README.md.",
        'version: "3.1"',
        "nlu:",
    ]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in by_intent[intent]]
    return "\n".join(lines) + "\n"


def render_csv(rows: Sequence[Row]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["text", "label"])
    writer.writerows(rows)
    return buf.getvalue()


def render_readme(
    splits: dict[str, list[Row]], handwritten: Sequence[str], supplemented: Sequence[str] = ()
) -> str:
    counts = {s: Counter(label for _, label in rows) for s, rows in splits.items()}
    labels = sorted(counts["train"])
    n_bitext = len([x for x in labels if x not in handwritten])
    n_supplemented = len(supplemented)
    which = "all" if n_supplemented == n_bitext else f"{n_supplemented} of the"

    def row(name: str, pick: Iterable[str]) -> str:
        pick = list(pick)
        cells = [sum(counts[s][x] for x in pick) for s in SPLITS]
        return f"| {name} | " + " | ".join(str(c) for c in cells) + f" | {sum(cells)} |"

    table = [
        "| intent | train (nlu.yml) | valid.csv | test.csv | total |",
        "|---|---|---|---|---|",
        row(f"all {n_bitext} Bitext intents", [x for x in labels if x not in handwritten]),
        *[row(f"`{x}` (hand-written)", [x]) for x in handwritten],
        row(f"**all {len(labels)} intents**", labels),
    ]
    per_intent = [
        f"| `{x}` | " + " | ".join(str(counts[s][x]) for s in SPLITS) + " |" for x in labels
    ]
    return "\n".join(
        [
            "# Demo intent data",
            "",
            "Generated by `data/tools/convert_bitext.py`; do not edit these files by hand.",
            "Regenerate from the repository root with:",
            "",
            "```",
            "python data/tools/convert_bitext.py --bitext ../shared/datasets/bitext --out data/intents",
            "```",
            "",
            "| file | what |",
            "|---|---|",
            '| `nlu.yml` | Rasa NLU YAML (`version: "3.1"`): the Bitext **training** split + the train part of the hand-written intents. Plain text, no entity annotations (entities come from `data/entities.yml`). |',
            "| `valid.csv` | `text,label`: the Bitext **validation** split + the valid part of the hand-written intents. |",
            "| `test.csv` | `text,label`: the Bitext **testing** split + the test part of the hand-written intents. |",
            "",
            "Sources",
            "",
            f"- {n_bitext} intents from the Bitext customer-service intent-detection sample "
            "(`Bitext_Sample_Customer_Service_{Training,Validation,Testing}_Dataset.csv`), "
            "official split kept; runs of spaces are collapsed. Validation/testing rows that equal "
            "a training (or an earlier validation) text when case and spaces are ignored (a few "
            "case-only twins in Bitext's split) are dropped.",
            f"- {len(handwritten)} intents Bitext lacks, written for this project "
            "(`data/tools/handwritten/<intent>.txt`, one utterance per line): "
            + ", ".join(f"`{x}`" for x in handwritten)
            + ". Each file is split by line position i (0-based): i % 10 in (4, 9) -> test, "
            "i % 10 == 7 -> valid, the rest -> train. `out_of_scope` is an explicit class "
            "for things the shop's bot cannot help with.",
            f"- Extra utterances for {which} {n_bitext} Bitext intents, written for this project "
            "(`data/tools/handwritten/supplements/<intent>.txt`, same split rule): the short "
            "turns customers type that Bitext's examples lack (Bitext's `track_order` lines "
            'all carry an order number, so "where is my order?" had no example), and turns '
            'that name a concrete product, a colour, a size or a date (Bitext says "an '
            'article", "several items"). Counted with their Bitext intent below. The lines '
            "appended on 2026-12-01 to every hand-written and supplement file (typos, text-speak, "
            "fragments, capitals, context first, products named) were written by an AI "
            "assistant session without seeing the blind realistic test sets, one label per "
            "line under the intents' boundary rules.",
            "",
            "Counts",
            "",
            *table,
            "",
            "<details><summary>per intent</summary>",
            "",
            "| intent | train | valid | test |",
            "|---|---|---|---|",
            *per_intent,
            "",
            "</details>",
            "",
            "License",
            "",
            "Bitext data (c) Bitext Innovations, from bitext/customer-support-intent-detection-training-dataset "
            "@ e970229, licensed under the Community Data License Agreement - Sharing 1.0 "
            "(`data/licenses/CDLA-Sharing-1.0.txt`). These files are a modified version "
            "(format converted, intents added); the whole, hand-written intents included, is "
            "shared under the same license. See `data/ATTRIBUTION.md`.",
            "",
        ]
    )


def convert(bitext_dir: Path, out_dir: Path, handwritten_dir: Path = HANDWRITTEN_DIR) -> None:
    splits = build(bitext_dir, handwritten_dir)
    handwritten = sorted(p.stem for p in handwritten_dir.glob("*.txt"))
    supplemented = sorted(p.stem for p in (handwritten_dir / SUPPLEMENTS).glob("*.txt"))
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "nlu.yml": render_nlu(splits["train"]),
        "valid.csv": render_csv(splits["valid"]),
        "test.csv": render_csv(splits["test"]),
        "README.md": render_readme(splits, handwritten, supplemented),
    }
    yaml.safe_load(files["nlu.yml"])  # fail here, not in Rasa, if the YAML is broken
    for name, content in files.items():
        (out_dir / name).write_bytes(content.encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bitext", type=Path, default=DEFAULT_BITEXT, help="Bitext folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    try:
        convert(args.bitext, args.out)
    except ConversionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}/nlu.yml, valid.csv, test.csv, README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
